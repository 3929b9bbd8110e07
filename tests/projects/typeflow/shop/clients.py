import boto3
import redis


def make_clients():
    return boto3.client("sqs"), redis.Redis()

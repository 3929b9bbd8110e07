"""ASR102/ASR105: sync container, cluster, cloud and SaaS SDKs in coroutines; builders that
send nothing (a bucket or blob handle, a client object) stay quiet."""
import asyncio

import docker
import jwt
import psutil
import slack_sdk
import stripe
from azure.storage.blob import BlobServiceClient
from databricks.sdk import WorkspaceClient
from fastapi import FastAPI
from google.cloud import storage
from huggingface_hub import HfApi, hf_hub_download
from kubernetes import client as k8s, config as k8s_config

app = FastAPI()
jwks = jwt.PyJWKClient("https://auth.example.com/.well-known/jwks.json")
gcs = storage.Client()
blobs = BlobServiceClient.from_connection_string("UseDevelopmentStorage=true")


@app.post("/containers/{image}")
async def run_container(image: str):
    await asyncio.sleep(0)
    engine = docker.from_env()  # a client object: no request yet
    container = engine.containers.run(image, detach=True)  # error: ASR102:17 "engine.containers.run()"
    container.wait()  # folded into line 27: the container it made
    logs = container.logs()  # folded into line 27
    images = engine.images.list()  # error: ASR102:14 "engine.images.list()"
    return {"logs": logs, "images": len(images)}


@app.get("/pods")
async def pods():
    await asyncio.sleep(0)
    k8s_config.load_incluster_config()  # error: ASR102:5 "k8s_config.load_incluster_config()"
    core = k8s.CoreV1Api()
    listed = core.list_namespaced_pod("default")  # error: ASR102:14 "core.list_namespaced_pod()"
    apps = k8s.AppsV1Api().read_namespaced_deployment("web", "default")  # error: ASR102:12 "k8s.AppsV1Api().read_namespaced_deployme"
    return listed, apps


@app.get("/me")
async def me(token: str):
    await asyncio.sleep(0)
    key = jwks.get_signing_key_from_jwt(token)  # error: ASR102:11 "jwks.get_signing_key_from_jwt()"
    return jwt.decode(token, key.key, algorithms=["RS256"])


@app.post("/files/{name}")
async def store(name: str, data: bytes):
    await asyncio.sleep(0)
    bucket = gcs.bucket("uploads")  # a handle: no request
    blob = bucket.blob(name)
    blob.upload_from_string(data)  # error: ASR102:5 "blob.upload_from_string()"
    container = blobs.get_container_client("uploads")
    container.upload_blob(name, data)  # error: ASR102:5 "container.upload_blob()"
    copy = container.get_blob_client(name).download_blob().readall()  # folded into line 58: same `container`
    return {"copy": len(copy)}


@app.post("/notify")
async def notify(text: str, pid: int):
    await asyncio.sleep(0)
    slack_sdk.WebClient(token="x").chat_postMessage(channel="#ops", text=text)  # error: ASR102:5 "slack_sdk.WebClient(token='x').chat_post"
    stripe.Customer.create(email="a@example.com")  # error: ASR102:5 "stripe.Customer.create()"
    clusters = WorkspaceClient().clusters.list()  # error: ASR102:16 "WorkspaceClient().clusters.list()"
    model = hf_hub_download("org/model", "config.json")  # error: ASR102:13 "hf_hub_download()"
    info = HfApi().model_info("org/model")  # error: ASR102:12 "HfApi().model_info()"
    psutil.Process(pid).wait(timeout=5)  # error: ASR105:5 "psutil.Process(pid).wait()"
    return {"clusters": clusters, "model": model, "info": info}


# --- good: handles and objects that send nothing, and `def` handlers -------------------------

@app.get("/handles/{name}")
async def handles(name: str):
    await asyncio.sleep(0)
    blob = gcs.bucket("uploads").blob(name)
    process = psutil.Process()
    return {"blob": blob.name, "pid": process.pid, "key": jwt.encode({}, "k")}


@app.get("/pods/sync")
def pods_sync():
    return k8s.CoreV1Api().list_namespaced_pod("default")

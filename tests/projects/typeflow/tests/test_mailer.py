"""A test builds `Mailer` with a sync client and assigns `app.state.sessions`: neither says
what the application does, so routes/items.py stays quiet about `mailer.send()`."""
import boto3

from shop.main import create_app
from shop.services import Mailer


def test_send():
    app = create_app()
    app.state.sessions = boto3.client("dynamodb")
    Mailer(boto3.client("ses")).send("a@b.c", "hi")

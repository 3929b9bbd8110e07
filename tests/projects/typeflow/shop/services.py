"""Services holding the clients they are built with; nothing here is annotated."""


class Storage:
    def __init__(self, client, bucket="uploads"):
        self.client = client
        self.bucket = bucket

    def save(self, key, body):
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body)


class Mailer:
    def __init__(self, client=None):
        self.client = client

    def send(self, to, text):
        self.client.send_email(Source="shop@example.com", Destination={"ToAddresses": [to]},
                               Message={"Body": {"Text": {"Data": text}}})


class Cache:
    """Built with a sync client in one place and an async one in another: untyped."""

    def __init__(self, backend):
        self.backend = backend

    def get(self, key):
        return self.backend.get(key)

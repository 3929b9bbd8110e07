# flake8-args: '--async-route-sync-client-types=legacy_sdk.Client->use legacy_sdk.aio.Client,billing.LegacyBilling'
"""ASR100: instances of declared sync client types, however they reach the coroutine."""
import asyncio

from fastapi import Depends, FastAPI

import billing
from legacy_sdk import Client, helpers

app = FastAPI()
shared = Client("https://legacy.example.com")


def get_billing() -> "billing.LegacyBilling":
    return billing.LegacyBilling()


@app.get("/orders/{order_id}")
async def order(order_id: int, invoices=Depends(get_billing)):
    await asyncio.sleep(0)
    record = shared.fetch(order_id)  # error: ASR100:14 "shared.fetch()"
    local = Client("https://other.example.com")  # making the client sends nothing
    status = local.status(order_id)  # error: ASR100:14 "local.status()"
    invoice = invoices.invoice_for(order_id)  # error: ASR100:15 "invoices.invoice_for()"
    return {"record": record, "status": status, "invoice": invoice}


@app.get("/helpers")
async def helper_calls():
    await asyncio.sleep(0)
    return helpers.format_id(1)  # not a declared type: quiet


@app.get("/orders/{order_id}/sync")
def order_sync(order_id: int):
    return shared.fetch(order_id)  # a `def` handler may block

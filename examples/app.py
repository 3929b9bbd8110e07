"""A small order-tracking service: some handlers are written well, some are not."""
from __future__ import annotations

import asyncio
import time
from typing import Iterator

import aiofiles
import httpx
import requests
from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from shop.models import Order
from shop.pricing import quote_price

PAYMENTS_URL = "https://payments.example.com/v1"
SHIPPING_URL = "https://shipping.example.com/api"

engine = create_engine("postgresql://shop:shop@localhost/shop")
SessionLocal = sessionmaker(bind=engine)

app = FastAPI(title="Orders")


def get_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def summarize(order: Order) -> dict:
    return {
        "id": order.id,
        "total": sum(line.price * line.quantity for line in order.lines),
        "status": order.status,
    }


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.get("/version")
async def version():
    return {"version": app.version, "title": app.title}


@app.post("/orders/{order_id}/retry-payment")
async def retry_payment(order_id: int):
    for _attempt in range(3):
        response = requests.post(f"{PAYMENTS_URL}/charges/{order_id}/retry", timeout=5)
        if response.ok:
            return response.json()
        time.sleep(2)
    raise HTTPException(status_code=502, detail="payment provider unavailable")


@app.get("/orders/{order_id}/payment")
async def payment_status(order_id: int):
    response = requests.get(f"{PAYMENTS_URL}/charges/{order_id}", timeout=5)
    return response.json()


@app.get("/orders/{order_id}/tracking")
def tracking(order_id: int):
    response = requests.get(f"{SHIPPING_URL}/parcels/{order_id}")
    return response.json()


@app.get("/orders/{order_id}")
async def get_order(order_id: int, db: Session = Depends(get_db)):
    order = db.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="order not found")
    return summarize(order)


@app.get("/orders/{order_id}/invoice")
async def invoice(order_id: int):
    response = await asyncio.to_thread(
        requests.get, f"{PAYMENTS_URL}/invoices/{order_id}", timeout=10
    )
    return response.json()


@app.get("/pricing/{sku}")
async def price_quote(sku: str, quantity: int = 1):
    return {"sku": sku, "price": quote_price(sku, quantity)}


@app.get("/orders/{order_id}/shipping-quote")
async def shipping_quote(order_id: int):
    async with httpx.AsyncClient(base_url=SHIPPING_URL, timeout=10) as client:
        response = await client.get("/quotes", params={"order": order_id})
    return response.json()


@app.get("/orders/{order_id}/receipt")
async def receipt(order_id: int):
    async with aiofiles.open(f"/srv/receipts/{order_id}.txt") as handle:
        return {"receipt": await handle.read()}


@app.post("/orders/{order_id}/cancel")
async def cancel(order_id: int):
    async with httpx.AsyncClient(base_url=PAYMENTS_URL, timeout=10) as client:
        for _attempt in range(3):
            response = await client.post(f"/charges/{order_id}/refund")
            if response.is_success:
                return {"cancelled": order_id}
            await asyncio.sleep(1)
    raise HTTPException(status_code=502, detail="refund failed")


@app.get("/orders")
def list_orders(db: Session = Depends(get_db)):
    orders = db.scalars(select(Order).limit(50))
    return [summarize(order) for order in orders]


@app.get("/reports/daily")
def daily_report():
    time.sleep(1)
    response = requests.get(f"{PAYMENTS_URL}/reports/daily", timeout=30)
    return response.json()

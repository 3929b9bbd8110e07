"""ASR106: blocking sockets, DNS look-ups and mail/FTP clients inside coroutines."""
import asyncio
import ftplib
import imaplib
import poplib
import smtplib
import socket
import socket as sock
from email.message import EmailMessage
from socket import gethostbyname as resolve_host
from smtplib import SMTP_SSL as SecureSMTP

import aiosmtplib
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool

app = FastAPI()
router = APIRouter(prefix="/net")
lookup = socket.getaddrinfo  # module-level re-assignment keeps the qualified name


def build_message(to: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "app@example.com", to, "Hello"
    msg.set_content(body)
    return msg


def send_mail_sync(msg: EmailMessage) -> None:
    with smtplib.SMTP("mail.example.com", 587) as smtp:  # sync helper: fine
        smtp.starttls()
        smtp.send_message(msg)


@app.get("/resolve/{host}")
async def resolve(host: str, request: Request):
    await request.body()
    ip = socket.gethostbyname(host)  # error: ASR106:10 "socket.gethostbyname()"
    alias_ip = resolve_host(host)  # error: ASR106:16 "resolve_host()" -- from-import with `as`
    infos = sock.getaddrinfo(host, 443)  # error: ASR106:13 "sock.getaddrinfo()" -- module alias
    more = lookup(host, 80)  # error: ASR106:12 "lookup()" -- re-assigned at module level
    names = [socket.gethostbyaddr(a)[0] for a in (ip, alias_ip)]  # error: ASR106:14 "socket.gethostbyaddr()"
    fqdn = socket.getfqdn()  # error: ASR106:12 "socket.getfqdn()"
    local = socket.gethostname()  # local call, no network
    return {"ip": ip, "infos": len(infos) + len(more), "names": names, "me": [fqdn, local]}


@app.get("/resolve-async/{host}")
async def resolve_async(host: str):
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, 443)
    ip = await asyncio.to_thread(socket.gethostbyname, host)
    name = await loop.run_in_executor(None, socket.getfqdn)
    return {"infos": len(infos), "ip": ip, "name": name}


@app.get("/resolve-sync/{host}")
def resolve_sync(host: str):
    return {"ip": socket.gethostbyname(host), "infos": len(socket.getaddrinfo(host, 443))}


@router.get("/ping/{host}")
async def ping(host: str, request: Request):
    await request.body()
    with socket.create_connection((host, 6379), timeout=2) as conn:  # error: ASR106:10 "socket.create_connection()"
        conn.sendall(b"PING\r\n")  # folded: same handle
        reply = conn.recv(64)  # folded: same handle
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.settimeout(2)
    code = raw.connect_ex((host, 80))  # error: ASR106:12 "raw.connect_ex()"
    raw.close()
    return {"reply": reply.decode(), "code": code}


@router.get("/ping-async/{host}")
async def ping_async(host: str):
    reader, writer = await asyncio.open_connection(host, 6379)
    writer.write(b"PING\r\n")
    await writer.drain()
    reply = await reader.readline()
    writer.close()
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(raw, (host, 80))
    await loop.sock_sendall(raw, b"HEAD / HTTP/1.0\r\n\r\n")
    return {"reply": reply.decode(), "head": await loop.sock_recv(raw, 128)}


async def probe(peer: socket.socket, payload: bytes) -> bytes:
    peer.send(payload)  # error: ASR106:5 "peer.send()" -- parameter annotated with the sync type
    return peer.recv(1024)  # folded: same handle


@app.post("/notify")
async def notify(to: str, request: Request):
    msg = build_message(to, (await request.body()).decode())
    with smtplib.SMTP("mail.example.com", 587) as smtp:  # error: ASR106:10 "smtplib.SMTP()"
        smtp.set_debuglevel(1)
        smtp.starttls()  # folded: same handle
        smtp.login("app", "secret")  # folded: same handle
        smtp.send_message(msg)  # folded: same handle
    secure = SecureSMTP("mail.example.com")  # error: ASR106:14 "SecureSMTP()"
    secure.sendmail("app@example.com", [to], msg.as_string())  # folded: same handle
    return {"sent": True}


@app.post("/notify-async")
async def notify_async(to: str, tasks: BackgroundTasks):
    msg = build_message(to, "hello")
    await aiosmtplib.send(msg, hostname="mail.example.com", port=587, start_tls=True)
    await run_in_threadpool(send_mail_sync, msg)
    await asyncio.get_running_loop().run_in_executor(None, lambda: send_mail_sync(msg))
    tasks.add_task(send_mail_sync, msg)
    return {"queued": True}


@app.post("/notify-sync")
def notify_sync(to: str):
    with smtplib.SMTP("mail.example.com") as smtp:
        smtp.send_message(build_message(to, "hi"))
    return {"sent": True}


async def mirror_report(name: str) -> None:
    """Background task coroutine."""
    ftp = ftplib.FTP_TLS("ftp.example.com")  # error: ASR106:11 "ftplib.FTP_TLS()"
    ftp.login("mirror", "secret")  # folded: same handle
    ftp.storbinary(f"STOR {name}", build_payload(name))  # folded: same handle
    ftp.quit()  # folded: same handle


def build_payload(name: str):
    return iter([name.encode()])


@app.post("/reports/{name}/mirror")
async def schedule_mirror(name: str, tasks: BackgroundTasks):
    tasks.add_task(mirror_report, name)
    return {"scheduled": name}


async def unread_count(request: Request) -> int:
    """Async dependency."""
    await request.body()
    box = imaplib.IMAP4_SSL("imap.example.com")  # error: ASR106:11 "imaplib.IMAP4_SSL()"
    box.login("app", "secret")  # folded: same handle
    box.select("INBOX")  # folded: same handle
    status, data = box.search(None, "UNSEEN")  # folded: same handle
    pop = poplib.POP3_SSL("pop.example.com")  # error: ASR106:11 "poplib.POP3_SSL()"
    pop.user("app")  # folded: same handle
    return len(data[0].split()) + pop.stat()[0]  # folded: same handle


@router.get("/inbox")
async def inbox(count: int = Depends(unread_count)):
    return {"unread": count}


class Heartbeat:
    def __init__(self, host: str):
        self.sock = socket.create_connection((host, 9000))  # sync __init__: fine

    async def beat(self) -> None:
        self.sock.sendall(b"beat")  # error: ASR106:9 "self.sock.sendall()" -- async method, attribute tracked


@app.websocket("/ws/dns")
async def dns_socket(websocket: WebSocket):
    await websocket.accept()
    host = await websocket.receive_text()
    await websocket.send_text(socket.gethostbyname(host))  # error: ASR106:31 "socket.gethostbyname()"


@app.middleware("http")
async def reverse_dns(request: Request, call_next):
    request.state.peer = socket.gethostbyaddr(request.client.host)[0]  # error: ASR106:26 "socket.gethostbyaddr()"
    return await call_next(request)


async def addresses(hosts: list) -> list:
    return list(map(lambda h: socket.gethostbyname(h), hosts))  # error: ASR106:31 "socket.gethostbyname()" -- lambda runs on the loop


async def shadowed(socket: str, ftplib: dict) -> str:
    return socket.upper() + str(ftplib.get("host"))  # parameters shadow the modules


app.include_router(router)

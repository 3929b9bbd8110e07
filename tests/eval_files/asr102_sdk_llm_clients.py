"""ASR102: sync LLM provider clients awaited nowhere; their async clients stay quiet, and so
does making a client object (no request is sent until a method is called)."""
import asyncio

import anthropic
import cohere
import litellm
import ollama
import openai
from anthropic import AsyncAnthropic
from fastapi import FastAPI
from google import genai
from groq import Groq
from langchain_openai import ChatOpenAI
from mistralai import Mistral
from openai import AsyncOpenAI, OpenAI
from qdrant_client import QdrantClient

app = FastAPI()
client = OpenAI()  # module level: constructing the client sends nothing
azure = openai.AzureOpenAI(api_version="2024-06-01")
claude = anthropic.Anthropic()
async_openai = AsyncOpenAI()
async_claude = AsyncAnthropic()
llm = ChatOpenAI(model="gpt-4o-mini")
gemini = genai.Client()


# --- bad: the sync clients ---------------------------------------------------------------------

@app.post("/chat")
async def chat(prompt: str):
    await async_openai.models.list()
    completion = client.chat.completions.create(model="gpt-4o", messages=[])  # error: ASR102:18 "client.chat.completions.create()"
    vectors = azure.embeddings.create(model="text-embedding-3-small", input=prompt)  # error: ASR102:15 "azure.embeddings.create()"
    return completion, vectors


@app.post("/claude")
async def ask_claude(prompt: str):
    await async_claude.models.list()
    reply = claude.messages.create(model="claude", max_tokens=10, messages=[])  # error: ASR102:13 "claude.messages.create()"
    with claude.messages.stream(model="claude", max_tokens=10, messages=[]) as stream:  # folded into line 39: same client
        text = "".join(stream.text_stream)
    return reply, text


@app.post("/others")
async def others(prompt: str):
    await async_openai.models.list()
    fast = Groq().chat.completions.create(model="llama", messages=[])  # error: ASR102:12 "Groq().chat.completions.create()"
    ranked = cohere.ClientV2().rerank(model="rerank", query=prompt, documents=[])  # error: ASR102:14 "cohere.ClientV2().rerank()"
    local = ollama.chat(model="llama3", messages=[])  # error: ASR102:13 "ollama.chat()"
    mistral = Mistral(api_key="k").chat.complete(model="m", messages=[])  # error: ASR102:15 "Mistral(api_key='k').chat.complete()"
    routed = litellm.completion(model="gpt-4o", messages=[])  # error: ASR102:14 "litellm.completion()"
    chain = llm.invoke(prompt)  # error: ASR102:13 "llm.invoke()"
    made = gemini.models.generate_content(model="gemini", contents=prompt)  # error: ASR102:12 "gemini.models.generate_content()"
    return fast, ranked, local, mistral, routed, chain, made


# --- good: async clients, and sync clients in `def` handlers ----------------------------------

@app.post("/chat/async")
async def chat_async(prompt: str):
    completion = await async_openai.chat.completions.create(model="gpt-4o", messages=[])
    reply = await async_claude.messages.create(model="claude", max_tokens=10, messages=[])
    routed = await litellm.acompletion(model="gpt-4o", messages=[])
    chain = await llm.ainvoke(prompt)
    made = await gemini.aio.models.generate_content(model="gemini", contents=prompt)
    local = await ollama.AsyncClient().chat(model="llama3", messages=[])
    mistral = await Mistral(api_key="k").chat.complete_async(model="m", messages=[])
    return completion, reply, routed, chain, made, local, mistral


@app.post("/chat/sync")
def chat_sync(prompt: str):
    return client.chat.completions.create(model="gpt-4o", messages=[])


@app.get("/client")
async def make_client(key: str):
    await async_openai.models.list()
    fresh = OpenAI(api_key=key)  # a client object: no request yet
    return {"client": repr(fresh), "raw": client.chat.completions.with_raw_response}


class Summarizer:
    def __init__(self, llm_client: OpenAI, store: "QdrantClient") -> None:
        self.llm_client = llm_client
        self.store = store

    async def summarize(self, text: str) -> str:
        await asyncio.sleep(0)
        reply = self.llm_client.chat.completions.create(model="m", messages=[])  # error: ASR102:17 "self.llm_client.chat.completions.create(" -- typed by its annotation
        return reply.choices[0].message.content

"""ASR103: sync vector stores, search engines, graph databases and queues in coroutines;
their async clients stay quiet."""
import asyncio

import chromadb
import neo4j
import pika
import weaviate
from fastapi import FastAPI
from opensearchpy import OpenSearch
from pinecone import Pinecone
from psycopg2.extras import execute_values
from pymilvus import MilvusClient
from qdrant_client import AsyncQdrantClient, QdrantClient
from redis import Redis
from rq import Queue
from rq.job import Job

app = FastAPI()
qdrant = QdrantClient(url="http://qdrant:6333")
async_qdrant = AsyncQdrantClient(url="http://qdrant:6333")
chroma = chromadb.PersistentClient(path="/data/chroma")
milvus = MilvusClient(uri="http://milvus:19530")
search = OpenSearch(hosts=["http://search:9200"])
graph = neo4j.GraphDatabase.driver("bolt://neo4j:7687")
jobs = Queue(connection=Redis())


@app.get("/similar")
async def similar(vector: list):
    await async_qdrant.get_collections()
    hits = qdrant.search("docs", query_vector=vector, limit=5)  # error: ASR103:12 "qdrant.search()"
    notes = chroma.get_or_create_collection("notes")  # error: ASR103:13 "chroma.get_or_create_collection()"
    found = notes.query(query_embeddings=[vector], n_results=3)  # folded into line 33: the collection it made
    rows = milvus.search("docs", data=[vector], limit=5)  # error: ASR103:12 "milvus.search()"
    index = Pinecone(api_key="k").Index("docs")
    matches = index.query(vector=vector, top_k=5)  # error: ASR103:15 "index.query()"
    return hits, found, rows, matches


@app.get("/weaviate")
async def weaviate_search(text: str):
    await asyncio.sleep(0)
    wv = weaviate.connect_to_local()  # error: ASR103:10 "weaviate.connect_to_local()"
    articles = wv.collections.get("Article")  # a handle: no request
    return articles.query.near_text(query=text, limit=3)  # error: ASR103:12 "articles.query.near_text()"


@app.get("/graph/{name}")
async def people(name: str):
    await asyncio.sleep(0)
    hits = search.search(index="people", body={"query": {"match": {"name": name}}})  # error: ASR103:12 "search.search()"
    with graph.session() as session:
        result = session.run("MATCH (p {name: $name}) RETURN p", name=name)  # error: ASR103:18 "session.run()"
    return hits, result


@app.post("/jobs")
async def enqueue(payload: dict, cursor=None):
    await asyncio.sleep(0)
    job = jobs.enqueue("tasks.process", payload)  # error: ASR103:11 "jobs.enqueue()"
    status = Job.fetch(job.id, connection=Redis()).get_status()  # error: ASR103:14 "Job.fetch()"
    channel = pika.BlockingConnection().channel()  # error: ASR103:15 "pika.BlockingConnection()"
    channel.basic_publish(exchange="", routing_key="jobs", body=b"x")  # folded into line 63: the channel it made
    execute_values(cursor, "INSERT INTO t VALUES %s", [(1,)])  # error: ASR103:5 "execute_values()"
    return {"status": status}


# --- good: async clients --------------------------------------------------------------------

@app.get("/similar/async")
async def similar_async(vector: list):
    return await async_qdrant.search("docs", query_vector=vector, limit=5)

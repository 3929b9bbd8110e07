"""Sync clients of third-party SDKs real FastAPI apps call: data, one family a library.

A family names the calls that make its client objects (`constructors`: call → type), what
methods and attributes of those objects give (`returns`, `attributes`), the calls that do
I/O (`blocking`, `Type.*` for a type whose every method does), the ones carved out of such a
wildcard (`not_blocking`), and the code and hint of a finding. A type is named by the path
that reaches it (`openai.OpenAI.chat.completions`), so a chain of attributes reads as the
code does. Only calls that do I/O are listed: making a client object, or a builder that
returns one without a request, is not reported. `catalog/__init__.py` merges these tables.
"""
from __future__ import annotations

from typing import NamedTuple

CRUD = ("create", "retrieve", "list", "update", "delete", "cancel")


class Family(NamedTuple):
    code: str
    hint: str
    blocking: tuple
    constructors: dict = {}
    returns: dict = {}
    attributes: dict = {}
    not_blocking: tuple = ()


def _resources(client: str, *paths: str) -> dict:
    """ATTRIBUTES for `client.a.b` chains: each prefix of each dotted path is a type."""
    found = {}
    for path in paths:
        parts = path.split(".")
        for end in range(1, len(parts) + 1):
            owner = ".".join([client, *parts[:end - 1]])
            found[f"{owner}.{parts[end - 1]}"] = ".".join([client, *parts[:end]])
    return found


_OPENAI_RESOURCES = (
    "chat.completions", "completions", "embeddings", "images", "audio.transcriptions",
    "audio.translations", "audio.speech", "moderations", "files", "models", "responses",
    "batches", "fine_tuning.jobs", "vector_stores", "uploads", "beta.chat.completions",
    "beta.assistants", "beta.threads", "beta.threads.runs", "beta.threads.messages",
)
_ANTHROPIC_RESOURCES = ("messages", "messages.batches", "completions", "models",
                        "beta.messages")
_GROQ_RESOURCES = ("chat.completions", "embeddings", "audio.transcriptions",
                   "audio.translations", "models")
_DOCKER_COLLECTIONS = ("containers", "images", "volumes", "networks", "services", "nodes",
                       "secrets", "configs", "plugins", "swarm")
_KUBERNETES_APIS = (
    "CoreV1Api", "AppsV1Api", "BatchV1Api", "CustomObjectsApi", "NetworkingV1Api",
    "RbacAuthorizationV1Api", "StorageV1Api", "AutoscalingV1Api", "AutoscalingV2Api",
    "PolicyV1Api", "VersionApi", "CoordinationV1Api", "AdmissionregistrationV1Api",
    "ApiextensionsV1Api", "EventsV1Api", "DiscoveryV1Api", "NodeV1Api", "SchedulingV1Api",
    "CertificatesV1Api", "ApiClient",
)
_STRIPE_RESOURCES = (
    "Customer", "PaymentIntent", "Charge", "Subscription", "Invoice", "InvoiceItem", "Price",
    "Product", "Refund", "PaymentMethod", "SetupIntent", "Account", "Balance",
    "BalanceTransaction", "Coupon", "Dispute", "Event", "Payout", "Plan", "Transfer",
    "PromotionCode", "TaxRate", "checkout.Session", "billing_portal.Session",
)
_STRIPE_METHODS = ("create", "retrieve", "list", "modify", "delete", "search", "cancel",
                   "capture", "confirm", "pay", "finalize_invoice", "void_invoice",
                   "list_line_items", "expire")
_OCI_CLIENTS = (
    "object_storage.ObjectStorageClient", "core.ComputeClient", "core.VirtualNetworkClient",
    "core.BlockstorageClient", "identity.IdentityClient", "secrets.SecretsClient",
    "vault.VaultsClient", "key_management.KmsCryptoClient", "generative_ai_inference."
    "GenerativeAiInferenceClient", "ai_language.AIServiceLanguageClient", "database."
    "DatabaseClient", "functions.FunctionsInvokeClient", "streaming.StreamClient",
    "queue.QueueClient", "logging.LoggingManagementClient", "monitoring.MonitoringClient",
)
_LANGCHAIN_MODELS = (
    "langchain_openai.ChatOpenAI", "langchain_openai.AzureChatOpenAI",
    "langchain_openai.OpenAIEmbeddings", "langchain_openai.AzureOpenAIEmbeddings",
    "langchain_anthropic.ChatAnthropic", "langchain_ollama.ChatOllama",
    "langchain_ollama.OllamaEmbeddings", "langchain_ollama.OllamaLLM",
    "langchain_google_genai.ChatGoogleGenerativeAI",
    "langchain_google_genai.GoogleGenerativeAIEmbeddings", "langchain_mistralai.ChatMistralAI",
    "langchain_groq.ChatGroq", "langchain_aws.ChatBedrock", "langchain_aws.ChatBedrockConverse",
    "langchain_community.chat_models.ChatOllama", "langchain_community.llms.Ollama",
    "langchain_community.embeddings.OllamaEmbeddings",
    "langchain_huggingface.HuggingFaceEndpoint",
)
_TO_THREAD = "run it with `asyncio.to_thread`"

FAMILIES: tuple = (
    # ----- LLM providers -------------------------------------------------------------------
    Family(
        "ASR102", "use `openai.AsyncOpenAI` (or `AsyncAzureOpenAI`) and await it",
        blocking=(
            *(f"openai.OpenAI.{path}.*" for path in _OPENAI_RESOURCES),
            *(f"openai.{legacy}.create" for legacy in (
                "ChatCompletion", "Completion", "Embedding", "Image", "Moderation")),
        ),
        constructors={"openai.OpenAI": "openai.OpenAI", "openai.Client": "openai.OpenAI",
                      "openai.AzureOpenAI": "openai.OpenAI"},
        attributes=_resources("openai.OpenAI", *_OPENAI_RESOURCES),
        not_blocking=tuple(f"openai.OpenAI.{path}.with_raw_response"
                           for path in _OPENAI_RESOURCES),
    ),
    Family(
        "ASR102", "use `anthropic.AsyncAnthropic` and await it",
        blocking=tuple(f"anthropic.Anthropic.{path}.*" for path in _ANTHROPIC_RESOURCES),
        constructors={name: "anthropic.Anthropic" for name in (
            "anthropic.Anthropic", "anthropic.Client", "anthropic.AnthropicBedrock",
            "anthropic.AnthropicVertex")},
        attributes=_resources("anthropic.Anthropic", *_ANTHROPIC_RESOURCES),
    ),
    Family(
        "ASR102", "use `groq.AsyncGroq` and await it",
        blocking=tuple(f"groq.Groq.{path}.*" for path in _GROQ_RESOURCES),
        constructors={"groq.Groq": "groq.Groq", "groq.Client": "groq.Groq"},
        attributes=_resources("groq.Groq", *_GROQ_RESOURCES),
    ),
    Family(
        "ASR102", "use `cohere.AsyncClientV2` (or `AsyncClient`) and await it",
        blocking=("cohere.Client.*",),
        constructors={"cohere.Client": "cohere.Client", "cohere.ClientV2": "cohere.Client"},
    ),
    Family(
        "ASR102", "use the `*_async` methods (`await client.chat.complete_async(...)`)",
        blocking=("mistralai.Mistral.chat.complete", "mistralai.Mistral.chat.stream",
                  "mistralai.Mistral.embeddings.create", "mistralai.Mistral.fim.complete",
                  "mistralai.Mistral.fim.stream",
                  *(f"mistralai.client.MistralClient.{m}" for m in (
                      "chat", "chat_stream", "embeddings", "completion", "list_models"))),
        constructors={"mistralai.Mistral": "mistralai.Mistral",
                      "mistralai.client.MistralClient": "mistralai.client.MistralClient"},
        attributes=_resources("mistralai.Mistral", "chat", "embeddings", "fim"),
    ),
    Family(
        "ASR102", "use `ollama.AsyncClient` and await it",
        blocking=("ollama.Client.*",
                  *(f"ollama.{f}" for f in ("chat", "generate", "embed", "embeddings",
                                            "pull", "push", "list", "show", "create",
                                            "delete", "copy", "ps"))),
        constructors={"ollama.Client": "ollama.Client"},
    ),
    Family(
        "ASR102", "use the client's `aio` side (`await client.aio.models.generate_content(...)`)",
        blocking=("google.genai.Client.models.*", "google.genai.Client.files.*",
                  "google.genai.Client.caches.*", "google.genai.Client.batches.*",
                  "google.genai.Client.tunings.*", "google.genai.chats.Chat.send_message",
                  "google.genai.chats.Chat.send_message_stream"),
        constructors={"google.genai.Client": "google.genai.Client"},
        returns={"google.genai.Client.chats.create": "google.genai.chats.Chat"},
        attributes=_resources("google.genai.Client", "models", "files", "caches", "batches",
                              "tunings", "chats"),
        not_blocking=("google.genai.Client.chats.create",),
    ),
    Family(
        "ASR102", "use `generate_content_async` / `send_message_async` and await it",
        blocking=("google.generativeai.GenerativeModel.generate_content",
                  "google.generativeai.GenerativeModel.count_tokens",
                  "google.generativeai.ChatSession.send_message",
                  "google.generativeai.embed_content", "google.generativeai.list_models",
                  "google.generativeai.generate_text"),
        constructors={"google.generativeai.GenerativeModel":
                      "google.generativeai.GenerativeModel"},
        returns={"google.generativeai.GenerativeModel.start_chat":
                 "google.generativeai.ChatSession"},
    ),
    Family(
        "ASR102", "use `await litellm.acompletion(...)` (`aembedding`, `atext_completion`, ...)",
        blocking=tuple(f"litellm.{f}" for f in (
            "completion", "text_completion", "embedding", "image_generation", "transcription",
            "speech", "moderation", "rerank", "responses")),
    ),
    Family(
        "ASR102", "use the model's async methods (`await llm.ainvoke(...)`, `astream`, "
                  "`abatch`, `aembed_query`)",
        blocking=tuple(f"langchain.Model.{m}" for m in (
            "invoke", "stream", "batch", "predict", "predict_messages", "generate",
            "embed_query", "embed_documents", "get_num_tokens")),
        constructors={name: "langchain.Model" for name in _LANGCHAIN_MODELS},
    ),
    # ----- vector stores -------------------------------------------------------------------
    Family(
        "ASR103", "use `qdrant_client.AsyncQdrantClient` and await it",
        blocking=("qdrant_client.QdrantClient.*",),
        constructors={"qdrant_client.QdrantClient": "qdrant_client.QdrantClient"},
        not_blocking=tuple(f"qdrant_client.QdrantClient.{m}" for m in (
            "get_fastembed_vector_params", "get_fastembed_sparse_vector_params",
            "get_vector_field_name", "get_sparse_vector_field_name")),
    ),
    Family(
        "ASR103", "use `chromadb.AsyncHttpClient` and await it, or run it with "
                  "`asyncio.to_thread`",
        blocking=(*(f"chromadb.ClientAPI.{m}" for m in (
            "get_collection", "get_or_create_collection", "create_collection",
            "delete_collection", "list_collections", "count_collections", "heartbeat",
            "reset", "get_version")), "chromadb.Collection.*"),
        constructors={f"chromadb.{name}": "chromadb.ClientAPI" for name in (
            "Client", "PersistentClient", "HttpClient", "EphemeralClient", "CloudClient")},
        returns={f"chromadb.ClientAPI.{m}": "chromadb.Collection" for m in (
            "get_collection", "get_or_create_collection", "create_collection")},
    ),
    Family(
        "ASR103", "use `pymilvus.AsyncMilvusClient` and await it",
        blocking=("pymilvus.MilvusClient.*", "pymilvus.connections.connect",
                  "pymilvus.utility.has_collection", "pymilvus.utility.list_collections"),
        constructors={"pymilvus.MilvusClient": "pymilvus.MilvusClient"},
    ),
    Family(
        "ASR103", "use `weaviate.use_async_with_local()` / `WeaviateAsyncClient` and await it",
        blocking=("weaviate.connect_to_local", "weaviate.connect_to_weaviate_cloud",
                  "weaviate.connect_to_wcs", "weaviate.connect_to_custom",
                  "weaviate.connect_to_embedded", "weaviate.Client",
                  "weaviate.WeaviateClient.connect", "weaviate.WeaviateClient.is_ready",
                  "weaviate.WeaviateClient.get_meta",
                  *(f"weaviate.collections.Collections.{m}" for m in (
                      "create", "create_from_dict", "delete", "delete_all", "exists",
                      "list_all", "export_config")),
                  "weaviate.collections.Collection.query.*",
                  "weaviate.collections.Collection.data.*",
                  "weaviate.collections.Collection.aggregate.*",
                  "weaviate.collections.Collection.generate.*"),
        constructors={name: "weaviate.WeaviateClient" for name in (
            "weaviate.WeaviateClient", "weaviate.connect_to_local",
            "weaviate.connect_to_weaviate_cloud", "weaviate.connect_to_wcs",
            "weaviate.connect_to_custom", "weaviate.connect_to_embedded")},
        returns={"weaviate.collections.Collections.get": "weaviate.collections.Collection",
                 "weaviate.collections.Collections.create": "weaviate.collections.Collection",
                 "weaviate.collections.Collections.use": "weaviate.collections.Collection"},
        attributes={"weaviate.WeaviateClient.collections": "weaviate.collections.Collections",
                    **_resources("weaviate.collections.Collection", "query", "data",
                                 "aggregate", "generate")},
    ),
    Family(
        "ASR103", "use `pinecone.PineconeAsyncio` (or `pc.IndexAsyncio`) and await it",
        blocking=(*(f"pinecone.Pinecone.{m}" for m in (
            "create_index", "delete_index", "list_indexes", "describe_index", "has_index",
            "configure_index", "create_index_for_model")),
            *(f"pinecone.Index.{m}" for m in (
                "upsert", "query", "fetch", "delete", "update", "describe_index_stats",
                "list", "list_paginated", "search", "upsert_records"))),
        constructors={"pinecone.Pinecone": "pinecone.Pinecone", "pinecone.Index":
                      "pinecone.Index"},
        returns={"pinecone.Pinecone.Index": "pinecone.Index"},
    ),
    # ----- databases, search engines and queues --------------------------------------------
    Family(
        "ASR103", "use `opensearchpy.AsyncOpenSearch` and await it",
        blocking=("opensearchpy.OpenSearch.*", "opensearchpy.helpers.bulk",
                  "opensearchpy.helpers.scan"),
        constructors={"opensearchpy.OpenSearch": "opensearchpy.OpenSearch"},
        not_blocking=("opensearchpy.OpenSearch.close",),
    ),
    Family(
        "ASR103", "use `elasticsearch.AsyncElasticsearch` and the `async_bulk` helpers",
        blocking=("elasticsearch.helpers.bulk", "elasticsearch.helpers.scan",
                  "elasticsearch.helpers.streaming_bulk", "elasticsearch.helpers.reindex"),
    ),
    Family(
        "ASR103", "use `neo4j.AsyncGraphDatabase` and await it",
        blocking=(*(f"neo4j.Driver.{m}" for m in (
            "execute_query", "verify_connectivity", "verify_authentication",
            "get_server_info")),
            *(f"neo4j.Session.{m}" for m in (
                "run", "execute_read", "execute_write", "read_transaction",
                "write_transaction", "begin_transaction")),
            *(f"neo4j.Result.{m}" for m in ("data", "single", "consume", "fetch", "value",
                                            "values", "to_df", "graph"))),
        constructors={"neo4j.GraphDatabase.driver": "neo4j.Driver"},
        returns={"neo4j.Driver.session": "neo4j.Session", "neo4j.Session.run": "neo4j.Result"},
    ),
    Family(
        "ASR103", "use `clickhouse_connect.get_async_client` and await it",
        blocking=("clickhouse_connect.get_client", "clickhouse_connect.driver.Client.*"),
        constructors={"clickhouse_connect.get_client": "clickhouse_connect.driver.Client"},
    ),
    Family(
        "ASR103", "use `cassandra`'s `execute_async` with a callback, or run it with "
                  "`asyncio.to_thread`",
        blocking=("cassandra.cluster.Cluster.connect", "cassandra.cluster.Session.execute",
                  "cassandra.cluster.Session.prepare", "cassandra.cluster.ResponseFuture.result"),
        constructors={"cassandra.cluster.Cluster": "cassandra.cluster.Cluster"},
        returns={"cassandra.cluster.Cluster.connect": "cassandra.cluster.Session",
                 "cassandra.cluster.Session.execute_async":
                 "cassandra.cluster.ResponseFuture"},
    ),
    Family(
        "ASR103", "use an async driver (asyncpg, aiomysql, `oracledb`'s async API) or declare "
                  "the handler `def`",
        blocking=("psycopg2.extras.execute_values", "psycopg2.extras.execute_batch",
                  "snowflake.connector.connect",
                  "oracledb.ConnectionPool.acquire", "oracledb.create_pool",
                  "psycopg_pool.ConnectionPool.getconn", "psycopg_pool.ConnectionPool.connection"),
        constructors={"snowflake.connector.connect": "DBConnection",
                      "oracledb.create_pool": "oracledb.ConnectionPool",
                      "psycopg_pool.ConnectionPool": "psycopg_pool.ConnectionPool"},
        returns={"oracledb.ConnectionPool.acquire": "DBConnection",
                 "psycopg_pool.ConnectionPool.getconn": "DBConnection"},
    ),
    Family(
        "ASR103", "use `redis.asyncio` and await it",
        blocking=("redis.cluster.RedisCluster.*", "redis.sentinel.Sentinel.discover_master"),
        constructors={"redis.cluster.RedisCluster": "redis.cluster.RedisCluster",
                      "redis.RedisCluster": "redis.cluster.RedisCluster"},
        returns={"redis.sentinel.Sentinel.master_for": "redis.Redis",
                 "redis.sentinel.Sentinel.slave_for": "redis.Redis"},
        not_blocking=tuple(f"redis.cluster.RedisCluster.{m}" for m in (
            "pipeline", "pubsub", "lock", "close", "get_encoder")),
    ),
    Family(
        "ASR103", "use `aio-pika` and await it",
        blocking=("pika.BlockingConnection", "pika.BlockingConnection.*",
                  "pika.adapters.blocking_connection.BlockingChannel.*"),
        constructors={"pika.BlockingConnection": "pika.BlockingConnection"},
        returns={"pika.BlockingConnection.channel":
                 "pika.adapters.blocking_connection.BlockingChannel"},
        not_blocking=("pika.BlockingConnection.channel",),
    ),
    Family(
        "ASR103", "each call is a Redis round trip: run it with `asyncio.to_thread`",
        blocking=(*(f"rq.Queue.{m}" for m in (
            "enqueue", "enqueue_call", "enqueue_at", "enqueue_in", "enqueue_many",
            "fetch_job", "get_jobs", "get_job_ids", "empty", "delete", "remove")),
            *(f"rq.job.Job.{m}" for m in (
                "fetch", "fetch_many", "exists", "get_status", "refresh", "cancel",
                "delete", "latest_result", "return_value", "save", "requeue",
                "get_meta", "save_meta", "get_position"))),
        constructors={"rq.Queue": "rq.Queue"},
        returns={"rq.Queue.enqueue": "rq.job.Job", "rq.Queue.enqueue_call": "rq.job.Job",
                 "rq.Queue.fetch_job": "rq.job.Job", "rq.job.Job.fetch": "rq.job.Job",
                 "rq.Job.fetch": "rq.job.Job"},
    ),
    # ----- containers, clusters and clouds -------------------------------------------------
    Family(
        "ASR102", "use `aiodocker`, or run it with `asyncio.to_thread`",
        blocking=("docker.DockerClient.*", "docker.APIClient.*",
                  *(f"docker.models.{c}.Collection.*" for c in _DOCKER_COLLECTIONS),
                  "docker.models.Resource.*"),
        constructors={"docker.from_env": "docker.DockerClient",
                      "docker.DockerClient": "docker.DockerClient",
                      "docker.client.DockerClient": "docker.DockerClient",
                      "docker.DockerClient.from_env": "docker.DockerClient",
                      "docker.APIClient": "docker.APIClient"},
        returns={**{f"docker.models.{c}.Collection.{m}": "docker.models.Resource"
                    for c in _DOCKER_COLLECTIONS for m in ("get", "run", "create", "pull")}},
        attributes={f"docker.DockerClient.{c}": f"docker.models.{c}.Collection"
                    for c in _DOCKER_COLLECTIONS},
        not_blocking=("docker.DockerClient.close", "docker.models.Resource.reload_if_needed"),
    ),
    Family(
        "ASR105", "wait in a thread (`await asyncio.to_thread(process.wait)`) or poll "
                  "with `asyncio.sleep`",
        blocking=("psutil.Process.wait", "psutil.wait_procs", "psutil.Popen.wait",
                  "psutil.Popen.communicate"),
        constructors={"psutil.Process": "psutil.Process", "psutil.Popen": "psutil.Popen"},
    ),
    Family(
        "ASR102", "use `kubernetes_asyncio` and await it, or run it with `asyncio.to_thread`",
        blocking=("kubernetes.client.Api.*", "kubernetes.config.load_kube_config",
                  "kubernetes.config.load_incluster_config",
                  "kubernetes.config.new_client_from_config", "kubernetes.watch.Watch.stream",
                  "kubernetes.stream.stream"),
        constructors={**{f"kubernetes.client.{api}": "kubernetes.client.Api"
                         for api in _KUBERNETES_APIS},
                      "kubernetes.watch.Watch": "kubernetes.watch.Watch"},
        not_blocking=("kubernetes.client.Api.api_client",),
    ),
    Family(
        "ASR102", "the JWKS is fetched over HTTP: run it with `asyncio.to_thread`, or fetch "
                  "the keys with an async client and cache them",
        blocking=tuple(f"jwt.PyJWKClient.{m}" for m in (
            "get_signing_key_from_jwt", "get_signing_keys", "get_signing_key", "fetch_data",
            "get_jwk_set")),
        constructors={"jwt.PyJWKClient": "jwt.PyJWKClient",
                      "jwt.jwks_client.PyJWKClient": "jwt.PyJWKClient"},
    ),
    Family(
        "ASR102", _TO_THREAD,
        blocking=("databricks.sdk.ServiceAPI.*",),
        constructors={"databricks.sdk.WorkspaceClient": "databricks.sdk.WorkspaceClient",
                      "databricks.sdk.AccountClient": "databricks.sdk.WorkspaceClient"},
        attributes={"databricks.sdk.WorkspaceClient.*": "databricks.sdk.ServiceAPI"},
    ),
    Family(
        "ASR102", _TO_THREAD,
        blocking=("oci.Client.*",),
        constructors={f"oci.{client}": "oci.Client" for client in _OCI_CLIENTS},
    ),
    Family(
        "ASR102", "use `gcloud-aio-storage`, or run it with `asyncio.to_thread`",
        blocking=(*(f"google.cloud.storage.Client.{m}" for m in (
            "get_bucket", "lookup_bucket", "create_bucket", "list_buckets", "list_blobs")),
            *(f"google.cloud.storage.Bucket.{m}" for m in (
                "get_blob", "list_blobs", "delete_blob", "delete_blobs", "exists", "reload",
                "patch", "create", "copy_blob", "rename_blob", "delete", "make_public")),
            *(f"google.cloud.storage.Blob.{m}" for m in (
                "upload_from_string", "upload_from_filename", "upload_from_file",
                "download_as_bytes", "download_as_string", "download_as_text",
                "download_to_filename", "download_to_file", "exists", "delete", "reload",
                "patch", "make_public", "compose", "rewrite", "open", "update"))),
        constructors={"google.cloud.storage.Client": "google.cloud.storage.Client"},
        returns={"google.cloud.storage.Client.bucket": "google.cloud.storage.Bucket",
                 "google.cloud.storage.Client.get_bucket": "google.cloud.storage.Bucket",
                 "google.cloud.storage.Bucket.blob": "google.cloud.storage.Blob",
                 "google.cloud.storage.Bucket.get_blob": "google.cloud.storage.Blob"},
    ),
    Family(
        "ASR102", "use the `azure.storage.blob.aio` clients and await them",
        blocking=(*(f"azure.storage.blob.BlobServiceClient.{m}" for m in (
            "list_containers", "create_container", "delete_container",
            "get_service_properties", "set_service_properties", "get_account_information",
            "get_user_delegation_key", "find_blobs_by_tags")),
            *(f"azure.storage.blob.ContainerClient.{m}" for m in (
                "list_blobs", "list_blob_names", "walk_blobs", "upload_blob", "download_blob",
                "delete_blob", "delete_blobs", "create_container", "delete_container",
                "exists", "get_container_properties", "set_container_metadata")),
            *(f"azure.storage.blob.BlobClient.{m}" for m in (
                "upload_blob", "download_blob", "delete_blob", "exists", "get_blob_properties",
                "set_blob_metadata", "start_copy_from_url", "create_snapshot",
                "set_blob_tags", "get_blob_tags", "stage_block", "commit_block_list")),
            *(f"azure.storage.blob.StorageStreamDownloader.{m}" for m in (
                "readall", "readinto", "content_as_bytes", "content_as_text", "chunks"))),
        constructors={
            "azure.storage.blob.BlobServiceClient": "azure.storage.blob.BlobServiceClient",
            "azure.storage.blob.BlobServiceClient.from_connection_string":
                "azure.storage.blob.BlobServiceClient",
            "azure.storage.blob.ContainerClient": "azure.storage.blob.ContainerClient",
            "azure.storage.blob.ContainerClient.from_connection_string":
                "azure.storage.blob.ContainerClient",
            "azure.storage.blob.BlobClient": "azure.storage.blob.BlobClient",
            "azure.storage.blob.BlobClient.from_connection_string":
                "azure.storage.blob.BlobClient"},
        returns={
            "azure.storage.blob.BlobServiceClient.get_container_client":
                "azure.storage.blob.ContainerClient",
            "azure.storage.blob.BlobServiceClient.get_blob_client":
                "azure.storage.blob.BlobClient",
            "azure.storage.blob.ContainerClient.get_blob_client":
                "azure.storage.blob.BlobClient",
            "azure.storage.blob.BlobClient.download_blob":
                "azure.storage.blob.StorageStreamDownloader",
            "azure.storage.blob.ContainerClient.download_blob":
                "azure.storage.blob.StorageStreamDownloader"},
    ),
    # ----- SaaS APIs -----------------------------------------------------------------------
    Family(
        "ASR102", "use `slack_sdk.web.async_client.AsyncWebClient` and await it",
        blocking=("slack_sdk.WebClient.*", "slack_sdk.webhook.WebhookClient.send",
                  "slack_sdk.webhook.WebhookClient.send_dict"),
        constructors={"slack_sdk.WebClient": "slack_sdk.WebClient",
                      "slack_sdk.web.WebClient": "slack_sdk.WebClient",
                      "slack_sdk.webhook.WebhookClient": "slack_sdk.webhook.WebhookClient"},
    ),
    Family(
        "ASR102", "use the `_async` methods (`await stripe.Customer.create_async(...)`)",
        blocking=tuple(f"stripe.{resource}.{method}" for resource in _STRIPE_RESOURCES
                       for method in _STRIPE_METHODS),
    ),
    Family(
        "ASR102", _TO_THREAD,
        blocking=(*(f"twilio.rest.Client.{r}.{m}" for r in ("messages", "calls")
                    for m in ("create", "list", "stream", "fetch")),),
        constructors={"twilio.rest.Client": "twilio.rest.Client"},
        attributes=_resources("twilio.rest.Client", "messages", "calls"),
    ),
    Family(
        "ASR102", "run it with `asyncio.to_thread` (or in a `def` handler)",
        blocking=(*(f"huggingface_hub.{f}" for f in (
            "hf_hub_download", "snapshot_download", "upload_file", "upload_folder",
            "create_repo", "delete_repo", "list_models", "list_datasets", "model_info",
            "dataset_info", "list_repo_files", "create_commit", "whoami")),
            "huggingface_hub.HfApi.*", "datasets.Dataset.push_to_hub",
            "datasets.DatasetDict.push_to_hub"),
        constructors={"huggingface_hub.HfApi": "huggingface_hub.HfApi"},
    ),
    # ----- files, archives and documents ---------------------------------------------------
    Family(
        "ASR104", "run it with `asyncio.to_thread` (or in a `def` handler)",
        blocking=("datasets.load_dataset", "datasets.load_from_disk",
                  "datasets.Dataset.save_to_disk", "datasets.Dataset.to_csv",
                  "datasets.Dataset.to_json", "datasets.Dataset.to_parquet",
                  "docling.document_converter.DocumentConverter.convert",
                  "docling.document_converter.DocumentConverter.convert_all",
                  *(f"networkx.{f}" for f in (
                      "read_graphml", "write_graphml", "read_gml", "write_gml",
                      "read_edgelist", "write_edgelist", "read_adjlist", "write_adjlist",
                      "read_gexf", "write_gexf")),
                  "markitdown.MarkItDown.convert", "markitdown.MarkItDown.convert_local",
                  "markitdown.MarkItDown.convert_stream", "markitdown.MarkItDown.convert_uri",
                  "zipfile.ZipFile.extract", "zipfile.ZipFile.extractall",
                  "zipfile.ZipFile.write", "tarfile.TarFile.extract",
                  "tarfile.TarFile.extractall", "tarfile.TarFile.add"),
        constructors={"docling.document_converter.DocumentConverter":
                      "docling.document_converter.DocumentConverter",
                      "markitdown.MarkItDown": "markitdown.MarkItDown",
                      "zipfile.ZipFile": "zipfile.ZipFile", "tarfile.open": "tarfile.TarFile",
                      "tarfile.TarFile": "tarfile.TarFile"},
    ),
)

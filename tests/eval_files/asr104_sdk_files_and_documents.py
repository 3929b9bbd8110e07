"""ASR104: archives, datasets and document converters that read and write files."""
import io
import zipfile

import datasets
import networkx
from docling.document_converter import DocumentConverter
from fastapi import FastAPI, UploadFile
from markitdown import MarkItDown

app = FastAPI()
converter = DocumentConverter()


@app.post("/archives")
async def unpack(upload: UploadFile):
    data = await upload.read()
    archive = zipfile.ZipFile(io.BytesIO(data))  # an in-memory archive: reading it is not I/O
    names = archive.namelist()
    archive.extractall("/srv/unpacked")  # error: ASR104:5 "archive.extractall()" -- but extracting it writes files
    return {"names": names}


@app.post("/documents")
async def convert(path: str):
    await asyncio_pause()
    document = converter.convert(path)  # error: ASR104:16 "converter.convert()` (and 3 more file-system calls: lines 28, 29, 30)"
    markdown = MarkItDown().convert(path)  # folded into line 27: MarkItDown().convert()
    graph = networkx.read_graphml(path)  # folded into line 27: networkx.read_graphml()
    corpus = datasets.load_dataset("imdb")  # folded into line 27: datasets.load_dataset()
    return document, markdown, graph, corpus


async def asyncio_pause():
    return None

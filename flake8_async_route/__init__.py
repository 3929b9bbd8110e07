"""flake8-async-route: catch async/sync misuse in FastAPI and Starlette applications."""
__version__ = "0.1.0"

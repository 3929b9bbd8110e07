"""`flake8-async-route`: the command line (main), on the same engine as the plugin."""
from .main import main

__all__ = ["main"]

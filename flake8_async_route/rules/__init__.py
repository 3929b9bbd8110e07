"""All rules; importing this package registers every rule class in `Rule.registry`."""
# imported to register the rules
from . import (blocking, blocking_libraries, blocking_system, configured, pool,  # noqa: F401
               shape)
from .base import Rule

__all__ = ["Rule"]

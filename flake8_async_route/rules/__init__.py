"""All rules; importing this package registers every rule class in `Rule.registry`."""
from . import blocking, pool, shape  # noqa: F401  (imported to register the rules)
from .base import Rule

__all__ = ["Rule"]

"""The knowledge base: seeds/*.yml and *.csv, validated by pydantic schemas.

Use :func:`load` to read a seed file; nothing else in kefu opens seeds/ directly.
"""
from .base import Fact, SeedFile, Strict, first_source
from .ids import all_entry_ids, entry_ids
from .loader import Problem, SeedError, clear_cache, load, seeds_dir, validate_all

__all__ = [
    "all_entry_ids",
    "entry_ids",
    "Fact",
    "SeedFile",
    "Strict",
    "first_source",
    "Problem",
    "SeedError",
    "clear_cache",
    "load",
    "seeds_dir",
    "validate_all",
]

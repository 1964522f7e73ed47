"""Finds every seed schema module in :mod:`kefu.seeds.models`."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType

from . import models as _models_pkg


@lru_cache(maxsize=1)
def schemas() -> dict[str, ModuleType]:
    """Map seed file name (e.g. ``phrasebook.yml``) to the module holding its ``Model``."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(_models_pkg.__path__):
        mod = importlib.import_module(f"{_models_pkg.__name__}.{info.name}")
        name = getattr(mod, "FILE", None)
        if name and hasattr(mod, "Model"):
            if name in found:
                raise RuntimeError(f"two schema modules claim {name}: {found[name].__name__}, {mod.__name__}")
            found[name] = mod
    return found

"""Client methods loaded on first use: each group of operations (a tag) has its own module.

Copied verbatim into every generated client package (as ``_lazy.py``) by apibind. Importing the
client then costs the same whatever the number of operations; the first call of an operation loads
its group's module (and the model classes its types need), once, for every instance.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, ClassVar


class LazyOperations:
    """A base class whose operation methods come from their group's module on first access.

    ``OPERATIONS`` maps a method name to its module (``pkg._ops_pets``); ``SIDE`` names the class
    of that module holding the methods (``Sync`` or ``Async``). The first access to a method copies
    every method of its module onto the instance's class (unless a subclass defines it): later
    accesses are plain lookups.
    Python's import lock makes two threads calling a method for the first time load it once.
    """

    OPERATIONS: ClassVar[Mapping[str, str]] = {}
    SIDE: ClassVar[str] = ""

    def __getattr__(self, name: str) -> Any:
        cls = type(self)
        module = cls.OPERATIONS.get(name)
        if module is None:
            raise AttributeError(f"{cls.__name__!r} object has no attribute {name!r}")
        methods = vars(getattr(importlib.import_module(module), cls.SIDE))
        for method, where in cls.OPERATIONS.items():
            if where == module and not any(method in vars(k) for k in cls.__mro__):
                setattr(cls, method, methods[method])
        return methods[name].__get__(self, cls)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *type(self).OPERATIONS})

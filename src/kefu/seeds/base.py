"""Base models shared by every seed schema.

Every fact carries ``source`` (one or more manual file names from seeds/sources.yml) and,
where the manuals are silent and the kit chose a value, ``assumed: true``.
"""
from __future__ import annotations

from typing import Any, Callable, Hashable, Iterable, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator


class Strict(BaseModel):
    """A model that refuses unknown keys, so a typo in YAML is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Fact(Strict):
    """Something taken from (or decided beside) the manuals.

    ``source`` is a manual file name such as ``003_a3f4989949c1cde6.txt`` or a list of them.
    It is checked against the names listed in seeds/sources.yml (passed in the validation
    context as ``sources``). ``assumed`` marks a value the manuals do not give.
    """

    source: str | list[str]
    assumed: bool = False

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str | list[str], info: ValidationInfo) -> str | list[str]:
        names = [value] if isinstance(value, str) else list(value)
        if not names:
            raise ValueError("source 不能为空,请写出依据的教材文件名")
        known = (info.context or {}).get("sources")
        if known is not None:
            unknown = [n for n in names if n not in known]
            if unknown:
                raise ValueError(
                    f"未知的来源文件 {', '.join(unknown)};可用的来源: {', '.join(sorted(known))}"
                )
        return value

    @property
    def sources(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)


class SeedFile(Strict):
    """Top level of a YAML seed file."""

    version: int = 1
    description: str = ""


def first_source(fact: Any) -> str:
    """The first source file name of a fact (for citations in one line)."""
    src = getattr(fact, "source", "")
    return src if isinstance(src, str) else (src[0] if src else "")


def by_id(items: Any, ident: str) -> Any:
    """The item of a seed list whose ``id`` is ``ident``; KeyError naming it otherwise."""
    for item in items:
        if getattr(item, "id", None) == ident:
            return item
    raise KeyError(ident)


T = TypeVar("T")


def repeated(items: Iterable[T], key: Callable[[T], Hashable] | None = None) -> list[T]:
    """The items whose value (or ``key``) an earlier item already had, in order: what a
    "duplicate …" message lists."""
    seen: set[Hashable] = set()
    out: list[T] = []
    for item in items:
        k = item if key is None else key(item)
        if k in seen:
            out.append(item)
        seen.add(k)
    return out

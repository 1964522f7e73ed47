"""Same results, less work: process-local patches used by the autograde batch and its workers.

Each patch leaves what nbgrader and nbformat compute unchanged and only avoids repeating work whose
answer is already known in this process:

- :func:`share_engines` — one SQLAlchemy engine per database URL (nbgrader opens a new ``Gradebook``,
  and so a new engine with an empty statement cache, about ten times per submission); the workers'
  private throw-away copies skip waiting for the disk;
- :func:`skip_repeated_table_checks` — ``Gradebook()`` lists the tables and runs ``create_all`` each
  time it is opened; on an engine where that has already been done, the tables are known to exist;
- :func:`cache_metadata_schema` — nbgrader's cell-metadata validation checks its constant schema on
  every call; the schema is checked once;
- :func:`cache_part_validation` — nbclient validates every output it receives (with jsonschema);
  an output whose exact JSON has already passed validation passes again.

They are applied in the batch process before the workers are forked, so every worker inherits them.
"""
from __future__ import annotations

from typing import Any

PRIVATE_DB_MARK = "/.kefu/worker-"


def share_engines() -> None:
    """Let every ``nbgrader.api.Gradebook`` in this process reuse one SQLAlchemy engine per URL.

    Sharing the engine changes nothing in what is read or written, only how often SQL is compiled.
    A worker's private copy of the gradebook is thrown away after the batch, so it neither syncs to
    disk nor keeps a rollback journal on disk (it is kept in memory).
    """
    import nbgrader.api as api

    if getattr(api, "_kefu_shared_engines", False):
        return
    original = api.create_engine
    engines: dict[str, Any] = {}

    def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
        key = str(url)
        eng = engines.get(key)
        if eng is None:
            eng = engines[key] = original(url, *args, **kwargs)
            if PRIVATE_DB_MARK in key:
                from sqlalchemy import event

                @event.listens_for(eng, "connect")
                def _fast(dbapi_conn: Any, _rec: Any) -> None:
                    dbapi_conn.execute("PRAGMA synchronous=OFF")
                    dbapi_conn.execute("PRAGMA journal_mode=MEMORY")
        return eng

    api.create_engine = create_engine
    api._kefu_shared_engines = True


def skip_repeated_table_checks() -> None:
    """``Gradebook.__init__`` asks the database for its table names and runs ``create_all`` (one
    query per table) on every open. With shared engines, the second and later opens on the same
    engine reuse the first answer: nbgrader never drops tables, so they still exist."""
    import nbgrader.api as api

    if getattr(api, "_kefu_table_checks", False):
        return
    original_inspect = api.inspect
    metadata = api.Base.metadata
    original_create_all = metadata.create_all
    inspectors: dict[int, Any] = {}
    created: dict[int, Any] = {}

    class _KnownTables:
        def __init__(self, names: list[str]) -> None:
            self._names = list(names)

        def get_table_names(self) -> list[str]:
            return list(self._names)

    def inspect(subject: Any, *args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.engine import Engine

        if args or kwargs or not isinstance(subject, Engine):
            return original_inspect(subject, *args, **kwargs)
        known = inspectors.get(id(subject))
        if known is not None and known[0] is subject:
            return known[1]
        names = original_inspect(subject).get_table_names()
        if names:  # only remember a database that already has its tables
            inspectors[id(subject)] = (subject, _KnownTables(names))
        return _KnownTables(names)

    def create_all(bind: Any = None, *args: Any, **kwargs: Any) -> Any:
        plain = bind is not None and not args and not kwargs
        if plain and created.get(id(bind)) is bind:
            return None
        out = original_create_all(bind, *args, **kwargs)
        if plain:
            created[id(bind)] = bind
        return out

    api.inspect = inspect
    metadata.create_all = create_all  # type: ignore[method-assign]
    api._kefu_table_checks = True


def cache_metadata_schema() -> None:
    """nbgrader validates each cell's metadata with ``jsonschema.validate``, which re-checks the
    (constant) schema itself on every call. Same validation, schema checked once per schema."""
    import types

    import jsonschema
    import nbgrader.nbgraderformat.common as common

    if isinstance(common.jsonschema, types.SimpleNamespace):
        return
    validators: dict[int, Any] = {}

    def validate(instance: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            return jsonschema.validate(instance, schema, *args, **kwargs)
        v = validators.get(id(schema))
        if v is None:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            v = validators[id(schema)] = (schema, cls(schema))
        error = jsonschema.exceptions.best_match(v[1].iter_errors(instance))
        if error is not None:
            raise error

    common.jsonschema = types.SimpleNamespace(validate=validate, ValidationError=jsonschema.ValidationError)


_PART_CACHE_MAX = 20000
_PART_MAX_CHARS = 65536


def _plain_json(obj: Any) -> bool:
    """Only str-keyed dicts, lists and scalars: data whose JSON text identifies it exactly (JSON
    writes a tuple like a list and an int key like a str key, which a validator may not accept alike)."""
    if obj is None or isinstance(obj, (str, int, float)):
        return True
    if isinstance(obj, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in obj.items())
    if isinstance(obj, list):
        return all(_plain_json(v) for v in obj)
    return False


def cache_part_validation() -> None:
    """Remember notebook *parts* (an output, a cell: ``nbformat.validate(node, ref=...)``) that passed
    validation; skip validating an identical part again.

    nbclient validates every output it receives against the notebook schema, and for a part nbformat
    always uses the (pure Python) jsonschema validator. Outputs repeat a lot from one trainee to the
    next (the same explanation printed by the same hidden test). The key is the call's arguments and
    the part's exact JSON text; only a call that returned normally is remembered (a part is never
    changed by its validation), so a cache hit has exactly the effect of the real call: none. Whole
    notebooks (no ``ref``) always go to the real validator: digesting them costs more than their
    (fastjsonschema) validation.
    """
    import json

    import nbformat

    if getattr(nbformat, "_kefu_part_cache", False):
        return
    original = nbformat.validate
    valid: set[tuple[Any, ...]] = set()

    def validate(nbdict: Any = None, ref: str | None = None, version: int | None = None,
                 version_minor: int | None = None, relax_add_props: bool = False, nbjson: Any = None) -> None:
        if (ref is None or nbdict is None or nbjson is not None or not isinstance(nbdict, dict)
                or not _plain_json(nbdict)):
            return original(nbdict, ref, version, version_minor, relax_add_props, nbjson)
        try:
            text = json.dumps(nbdict, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return original(nbdict, ref, version, version_minor, relax_add_props, nbjson)
        if len(text) > _PART_MAX_CHARS:  # e.g. a flood of output: not worth remembering
            return original(nbdict, ref, version, version_minor, relax_add_props, nbjson)
        key = (text, ref, version, version_minor, bool(relax_add_props))
        if key in valid:
            return None
        original(nbdict, ref, version, version_minor, relax_add_props, nbjson)
        if len(valid) >= _PART_CACHE_MAX:
            valid.clear()
        valid.add(key)
        return None

    validate.__doc__ = original.__doc__
    nbformat.validate = validate
    nbformat._kefu_part_cache = True


def apply_all() -> None:
    """Everything above (in the batch process, before the workers are forked)."""
    share_engines()
    skip_repeated_table_checks()
    cache_metadata_schema()
    cache_part_validation()

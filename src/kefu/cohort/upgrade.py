"""Bringing an existing cohort's ``nbgrader_config.py`` up to the current trusted configuration.

A cohort made before trusted scoring has a config without the trusted pipeline: formgrader's
Autograde scores every kefu test 0 and ``kefu autograde`` finds no keys. :func:`config_problems`
says (in Chinese) what is missing; :func:`upgrade_config` rewrites the file from
:func:`kefu.cohort.config.render_config` with the cohort's own values (course id, time zone,
exchange, late plugin, keys folder), keeps a copy of the old file under ``backups/config/``
(:func:`kefu.cohort.backup.backup_file`) and carries over every line below
:data:`~kefu.cohort.config.OWN_SETTINGS_MARKER` unchanged.

Only folders made by ``kefu cohort init`` (they hold ``cohort.json``) are checked: throw-away test
courses and hand-made nbgrader courses are left to their owners.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .config import (
    CONFIG_NAME,
    EXCHANGE_NAME,
    LATE_PLUGIN_MODULE,
    OWN_SETTINGS_MARKER,
    CohortError,
    late_plugin_class,
    load_config,
    render_config,
)

META_NAME = "cohort.json"


@dataclass
class Upgrade:
    config: Path
    backup: Path | None
    problems: list[str]
    kept_lines: int
    had_marker: bool
    changed: bool


def _default_keys_dir() -> str:
    from kefu.seeds import seeds_dir

    return str(seeds_dir().parent / "assignments" / "_keys")


def _missing(configured: object, wanted: list[str]) -> list[str]:
    have = [p if isinstance(p, str) else f"{p.__module__}.{p.__name__}" for p in (configured or [])]
    return [w for w in wanted if w not in have]


def config_problems(course_dir: str | os.PathLike[str], cfg=None) -> list[str]:
    """What keeps the cohort's config from being the current trusted one (Chinese; [] = up to date).

    Extra preprocessors a trainer added are fine; a missing trusted step, feedback step or keys
    folder is not. Folders without ``cohort.json`` are not cohorts made by kefu: always []."""
    from kefu.autograde.pipeline import FEEDBACK, autograde_preprocessors

    course_dir = Path(course_dir).resolve()
    if not (course_dir / META_NAME).is_file() or not (course_dir / CONFIG_NAME).is_file():
        return []
    cfg = cfg if cfg is not None else load_config(course_dir)
    problems = []
    if "autograde_preprocessors" not in cfg.Autograde or _missing(cfg.Autograde.autograde_preprocessors,
                                                                   autograde_preprocessors()):
        problems.append("缺少可信评分流程(formgrader 的“自动评分”会把 kefu 的测试题记 0 分)")
    keys = cfg.TrustedScore.get("keys_dir") if "TrustedScore" in cfg else None
    if not keys:  # (a set folder that does not exist is left alone: assignments without kefu tests need none)
        problems.append("没有设置答案文件夹 TrustedScore.keys_dir(kefu autograde 找不到答案)")
    if "preprocessors" not in cfg.GenerateFeedback or _missing(cfg.GenerateFeedback.preprocessors, FEEDBACK):
        problems.append("反馈流程不是当前版本(formgrader 生成的反馈可能含隐藏测试)")
    return problems


def outdated_message(course_dir: str | os.PathLike[str], problems: list[str]) -> str:
    """The Chinese message `kefu autograde` / `kefu release` show for an outdated config."""
    course_dir = Path(course_dir).resolve()
    return (f"{course_dir / CONFIG_NAME}: 培训班的配置文件是旧版本——" + ";".join(problems)
            + f"。请先运行 kefu cohort upgrade --course {course_dir} 升级(旧文件会备份到 backups/config/,"
            "标记行以下自己添加的设置会保留)")


def _own_lines(text: str) -> tuple[list[str], bool]:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == OWN_SETTINGS_MARKER:
            own = lines[i + 1:]
            while own and not own[-1].strip():
                own.pop()
            return own, True
    return [], False


def _late_plugin(course_dir: Path, cfg) -> str | None:
    plugin_file = course_dir / f"{LATE_PLUGIN_MODULE}.py"
    configured = str(cfg.AssignLatePenalties.get("plugin_class", "")) if "AssignLatePenalties" in cfg else ""
    if not plugin_file.is_file() or not configured.startswith(LATE_PLUGIN_MODULE + "."):
        return None
    return late_plugin_class(plugin_file)


def _load(tmp: Path, text: str):
    """The configuration ``text`` would give, loaded from a temporary file next to the real one."""
    from traitlets.config.loader import PyFileConfigLoader

    tmp.write_text(text, encoding="utf-8")
    try:
        return PyFileConfigLoader(tmp.name, path=str(tmp.parent)).load_config()
    finally:
        tmp.unlink(missing_ok=True)


def upgrade_config(course_dir: str | os.PathLike[str], *, force: bool = False,
                   keys_dir: str | os.PathLike[str] | None = None) -> Upgrade:
    """Rewrite the cohort's nbgrader_config.py to the current trusted configuration (see module doc).

    Nothing is written when the config is already current and carries the marker (unless ``force``).
    ``keys_dir``: the answer keys folder; default the one configured, else the kit's ``assignments/_keys``.
    Raises :class:`CohortError` (Chinese) for a folder that is not a cohort or a config that does not load.
    """
    from .backup import backup_file

    course_dir = Path(course_dir).resolve()
    path = course_dir / CONFIG_NAME
    if not (course_dir / META_NAME).is_file() or not path.is_file():
        raise CohortError(f"{course_dir}: 不是用 kefu cohort init 建立的培训班(缺少 {META_NAME} 或 {CONFIG_NAME})")
    meta = json.loads((course_dir / META_NAME).read_text(encoding="utf-8"))
    cfg = load_config(course_dir)  # CohortError naming the file when the old config itself is broken
    old_text = path.read_text(encoding="utf-8")
    own, had_marker = _own_lines(old_text)
    problems = config_problems(course_dir, cfg)
    if keys_dir is not None and not Path(keys_dir).is_dir():
        raise CohortError(f"答案文件夹不存在:{keys_dir}")
    if not problems and had_marker and not force and keys_dir is None:
        return Upgrade(path, None, [], len(own), True, False)

    course_id = str(cfg.CourseDirectory.get("course_id", "") or meta.get("course_id") or "")
    if not course_id:
        raise CohortError(f"{path}: 找不到培训班编号(CourseDirectory.course_id),无法升级")
    timezone = str(cfg.NbGraderAPI.get("timezone", "") or meta.get("timezone") or "Asia/Shanghai")
    exchange = str(cfg.Exchange.get("root", "") or "")
    if not exchange or Path(exchange).resolve() == course_dir / EXCHANGE_NAME:
        exchange = None  # inside the folder: stays relative, so the folder can still be moved whole
    keys = str(cfg.TrustedScore.get("keys_dir", "") or "") if "TrustedScore" in cfg else ""
    keys_dir = str(Path(keys_dir).resolve()) if keys_dir is not None else (keys or _default_keys_dir())
    text = render_config(course_id, timezone=timezone, exchange=exchange,
                         late_plugin=_late_plugin(course_dir, cfg), keys_dir=keys_dir)
    tmp = path.with_name(f".{CONFIG_NAME}.upgrade")
    # a gradebook set by hand in the old file (e.g. a database server) must stay the gradebook
    old_url = str(cfg.CourseDirectory.get("db_url", "") or "")
    if old_url and _load(tmp, text).CourseDirectory.get("db_url") != old_url:
        own.append(f"c.CourseDirectory.db_url = {old_url!r}  # kept from the old file by kefu cohort upgrade")
    if own:
        text += "\n".join(own) + "\n"
    backup = backup_file(course_dir, path, "config")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return Upgrade(path, backup, problems, len(own), had_marker, True)

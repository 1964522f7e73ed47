"""kefu cohort upgrade, through the real CLI: an old cohort's nbgrader_config.py (made before trusted
scoring) is found by kefu autograde and kefu release with a Chinese message naming the command to run;
the upgrade rewrites it to the current trusted configuration, backs up the old file, keeps the trainer's
own lines below the marker, and refuses a broken config without touching it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cohort_folder import copy_cohort, kefu, placeholder_cohort
from kefu.cohort.config import OWN_SETTINGS_MARKER
from kefu.cohort.create import exam_ids

pytestmark = pytest.mark.slow

IDS = exam_ids()
ROSTER = "工号,姓名,班组,入职日期\nKF001,王一,1组,2025-03-03\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return placeholder_cohort(tmp_path_factory.mktemp("upgrade"), ROSTER)[0]


def _make_old(course: Path) -> str:
    """The config as `kefu cohort init` wrote it before trusted scoring: no pipeline, no keys, no marker."""
    cfg = course / "nbgrader_config.py"
    text = cfg.read_text(encoding="utf-8")
    old = text[: text.index("# Trusted grading")]
    assert "TrustedScore" not in old and "GenerateFeedback" not in old
    cfg.write_text(old, encoding="utf-8")
    return old


def _cfg(course: Path):
    from kefu.cohort.config import load_config

    return load_config(course)


def test_new_cohort_is_current(base):
    res = kefu("cohort", "upgrade", "--course", str(base), "--check")
    assert res.returncode == 0, res.stdout + res.stderr
    assert OWN_SETTINGS_MARKER in (base / "nbgrader_config.py").read_text(encoding="utf-8")


def test_old_cohort_is_detected_and_upgraded(base):
    course = copy_cohort(base, "old")
    old = _make_old(course)

    res = kefu("autograde", "--course", str(course), "--no-progress")
    out = res.stdout + res.stderr
    assert res.returncode == 1 and "Traceback" not in out, out
    assert "旧版本" in out and f"kefu cohort upgrade --course {course}" in out and "可信评分" in out
    res = kefu("release", IDS["theory"], "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "旧版本" in res.stderr and "kefu cohort upgrade" in res.stderr
    res = kefu("cohort", "upgrade", "--course", str(course), "--check")
    assert res.returncode == 1 and "TrustedScore.keys_dir" in res.stderr
    assert (course / "nbgrader_config.py").read_text(encoding="utf-8") == old  # --check writes nothing

    res = kefu("cohort", "upgrade", "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "已升级" in res.stdout and "旧文件已备份" in res.stdout and "标记行" in res.stdout
    backups = list((course / "backups" / "config").glob("*/nbgrader_config.py"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == old
    cfg = _cfg(course)
    assert cfg.CourseDirectory.course_id == _cfg(base).CourseDirectory.course_id
    assert "kefu.autograde.trusted.TrustedScore" in cfg.Autograde.autograde_preprocessors
    assert Path(cfg.TrustedScore.keys_dir).name == "_keys"
    assert cfg.CourseDirectory.root == str(course)  # still relative to the folder: it can be moved

    res = kefu("autograde", "--course", str(course), "--no-progress")
    assert "旧版本" not in res.stdout + res.stderr
    assert res.returncode == 0, res.stdout + res.stderr
    res = kefu("cohort", "upgrade", "--course", str(course))
    assert res.returncode == 0 and "没有改动" in res.stdout
    assert len(list((course / "backups" / "config").glob("*/nbgrader_config.py"))) == 1


def test_own_lines_below_the_marker_are_kept(base):
    course = copy_cohort(base, "own")
    cfg_file = course / "nbgrader_config.py"
    text = cfg_file.read_text(encoding="utf-8")
    # an outdated feedback list (no teaching feedback yet) and a trainer's own setting below the marker
    text = text.replace("    'kefu.grading.teach.TeachingFeedback',\n", "")
    cfg_file.write_text(text + "c.Execute.timeout = 99  # 培训老师加的\n", encoding="utf-8")
    res = kefu("cohort", "upgrade", "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert "反馈流程" in res.stdout and "保留了标记行以下自己添加的设置 1 行" in res.stdout
    new = cfg_file.read_text(encoding="utf-8")
    assert new.split(OWN_SETTINGS_MARKER, 1)[1].strip() == "c.Execute.timeout = 99  # 培训老师加的"
    cfg = _cfg(course)
    assert cfg.Execute.timeout == 99
    assert "kefu.grading.teach.TeachingFeedback" in cfg.GenerateFeedback.preprocessors


def test_a_gradebook_set_by_hand_stays_the_gradebook(base):
    course = copy_cohort(base, "own-db")
    shutil.copy2(course / "gradebook.db", course / "elsewhere.db")
    url = f"sqlite:///{course / 'elsewhere.db'}"
    old = _make_old(course) + f"c.CourseDirectory.db_url = {url!r}\n"
    (course / "nbgrader_config.py").write_text(old, encoding="utf-8")
    res = kefu("cohort", "upgrade", "--course", str(course))
    assert res.returncode == 0, res.stderr
    assert _cfg(course).CourseDirectory.db_url == url
    assert not list(course.glob(".nbgrader_config.py.*"))


def test_broken_config_is_refused_untouched(base):
    course = copy_cohort(base, "broken")
    cfg_file = course / "nbgrader_config.py"
    broken = cfg_file.read_text(encoding="utf-8") + "c.Exchange.root = (\n"
    cfg_file.write_text(broken, encoding="utf-8")
    res = kefu("cohort", "upgrade", "--course", str(course))
    out = res.stdout + res.stderr
    assert res.returncode == 1 and "Traceback" not in out and "配置文件有错误" in out, out
    assert cfg_file.read_text(encoding="utf-8") == broken
    assert not (course / "backups" / "config").exists()

"""``kefu hub up``: prepare a cohort folder and run JupyterHub in the foreground.

Preparation (each step refuses with a Chinese message rather than half-working): root, passwords
issued, the kit's Python usable by every account, configurable-http-proxy found, the gradebook
database, one OS account per trainee, the cohort folder closed to trainees except the exchange and
their configuration, then the hub's configuration. The hub runs under
:func:`kefu.classroom.process.run_server`, which stops the whole tree (proxy, services, trainee
servers and their kernels) on Ctrl-C / SIGTERM.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from kefu.cohort.config import CohortError, ensure_bin_on_path, load_config

from . import accounts
from .passwords import has_password
from .settings import HubSettings
from .trainee import write_trainee_configs
from .users import HubUser, cohort_users, ensure_hub_dir, write_accounts

CHP_ENV = "KEFU_CHP"
CHP_INSTALL = "npm install --prefix .venv/share/kefu-chp configurable-http-proxy"
DEFAULT_HOMES = Path("/home")


def find_proxy() -> Path:
    """configurable-http-proxy: $KEFU_CHP, the copy npm put under the venv, or PATH."""
    candidates = [os.environ.get(CHP_ENV, ""),
                  str(Path(sys.prefix) / "share" / "kefu-chp" / "node_modules" / ".bin" / "configurable-http-proxy"),
                  shutil.which("configurable-http-proxy") or ""]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return Path(c)
    raise CohortError(
        "找不到 configurable-http-proxy(JupyterHub 的代理)。请在 kefu-kit 目录执行:\n  " + CHP_INSTALL
        + f"\n或用环境变量 {CHP_ENV} 指定它的位置"
    )


def _formgrader_config(hub_state: Path) -> Path:
    d = hub_state / "formgrader-config"
    d.mkdir(mode=0o700, exist_ok=True)
    (d / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"jpserver_extensions": {
        "nbgrader.server_extensions.formgrader": True,
        "kefu.grading.formgrader_ext": True,  # late exams as 0, the grader's guide (grader's server only)
        "nbgrader.server_extensions.assignment_list": False,
        "nbgrader.server_extensions.course_list": False,
    }}}, indent=1) + "\n", encoding="utf-8")
    return d


def _app_settings(hub_state: Path) -> Path:
    """Chinese JupyterLab for the formgrader service (H4's overrides writer)."""
    from kefu.classroom.jupyter import chinese_ui_overrides

    d = hub_state / "formgrader-app-settings"
    chinese_ui_overrides(d)
    return d


def readable_answer_material() -> list[Path]:
    """Answer material trainee code can still read: the exam question bank (with its answers) lies in
    seeds/, which the sandboxed kernel must see for the practice drills. (The kit's ``assignments/``
    is hidden from trainee kernels by the bubblewrap sandbox.)"""
    from kefu.seeds import seeds_dir

    bank = seeds_dir() / "question_bank.yml"
    return [bank] if bank.exists() and accounts.not_reachable_by_others(bank) is None else []


def prepare(course_dir, *, port: int = 8000, db: str | None = None, homes: Path = DEFAULT_HOMES,
            cull_timeout: int = 3600) -> tuple[HubSettings, list[HubUser]]:
    """Everything before the hub starts; returns the settings written to hub/jupyterhub_config.py."""
    course_dir = Path(course_dir).resolve()
    cfg = load_config(course_dir)
    if os.geteuid() != 0:
        raise CohortError("kefu hub up 需要 root 权限:它为每个学员建立系统账号,并以学员的身份启动其 JupyterLab")
    cid = cfg.CourseDirectory.course_id
    users = cohort_users(course_dir)
    missing = [u.id for u in users if not has_password(course_dir, u.hub_name)]
    if missing:
        raise CohortError(f"这些账号还没有密码:{'、'.join(missing)};请先运行 kefu hub passwords --course {course_dir} --out 账号.xlsx")
    if not any(u.role == "grader" for u in users):
        print("提示:没有阅卷员账号(kefu hub passwords --graders 账号),阅卷页面 formgrader 将无人能打开", file=sys.stderr)
    accounts.check_environment_shared(Path(sys.executable))
    for p in readable_answer_material():
        print(f"警告:学员运行的代码可以读取考试题库 {p}(含答案);考试期间请勿开放本机的练习账号,"
              "或把题库移出 seeds/ 文件夹", file=sys.stderr)
    proxy = find_proxy()
    if db:
        from .gradebook_db import use_database

        use_database(course_dir, db)
    hub_state = ensure_hub_dir(course_dir)
    homes = Path(homes).resolve()
    if accounts.not_reachable_by_others(homes) is not None:
        raise CohortError(f"学员主目录的上级文件夹 {homes} 对其他用户不可进入;请换一个位置(--homes)")
    for u in users:
        if u.role == "trainee":
            accounts.ensure_account(u, cid, homes)
    write_accounts(course_dir, users)
    trainee_dir = write_trainee_configs(course_dir, users)  # needs the accounts (homes, groups)
    exchange = Path(cfg.Exchange.root)
    exchange.mkdir(parents=True, exist_ok=True)
    accounts.lock_cohort_folder(course_dir, exchange, [trainee_dir])
    extra_env = {}
    if os.environ.get("KEFU_SEEDS"):
        extra_env["KEFU_SEEDS"] = os.environ["KEFU_SEEDS"]
    settings = HubSettings(
        course_dir=course_dir, course_id=cid, users=users, port=port, proxy_command=[str(proxy)],
        formgrader_config_path=_formgrader_config(hub_state),
        app_settings_dir=_app_settings(hub_state), cull_timeout=cull_timeout, extra_env=extra_env,
    )
    settings.write()
    return settings, users


def up(course_dir, *, port: int = 8000, db: str | None = None, homes: Path = DEFAULT_HOMES,
       cull_timeout: int = 3600) -> int:
    """Prepare and run the hub in the foreground; returns its exit code."""
    from kefu.classroom.process import run_server

    ensure_bin_on_path()
    settings, users = prepare(course_dir, port=port, db=db, homes=homes, cull_timeout=cull_timeout)
    hub_state = settings.course_dir / "hub"
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(hub_state / "jupyterhub_config.py")]
    env = dict(os.environ)
    env["PATH"] = f"{settings.bin_dir}{os.pathsep}{env.get('PATH', '')}"
    n_tr = sum(u.role == "trainee" for u in users)
    print(f"JupyterHub 地址: http://127.0.0.1:{port}/  (学员 {n_tr} 人,阅卷员 {len(users) - n_tr} 人;"
          f"阅卷页面 /services/{settings.course_id}/formgrader;按 Ctrl-C 停止)", flush=True)
    return run_server(cmd, env=env, cwd=str(hub_state), grace=30.0)


def remove_accounts(course_dir) -> list[str]:
    """Delete the OS accounts (and home folders) ``kefu hub up`` made for this cohort."""
    course_dir = Path(course_dir).resolve()
    cid = load_config(course_dir).CourseDirectory.course_id
    removed = []
    for u in cohort_users(course_dir):
        if accounts.remove_account(u, cid):
            removed.append(u.os_name)
    return removed

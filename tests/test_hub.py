"""`kefu hub` end to end: a real JupyterHub (configurable-http-proxy, one OS account per trainee)
on a free loopback port, driven through Debian's Chromium with Playwright.

Two trainees log in on the hub's login page, fetch a released chapter from the Assignments panel,
answer, submit; the trainer collects and autogrades with the CLI; the grader logs in, lands on the
formgrader (its own tab) and enters a manual score and comment; the trainer releases feedback; the
trainee fetches it from the panel and reads it. A trainee gets 403/404 on the formgrader service,
on another trainee's server and on the instructor's files. The OS accounts are removed at the end.

Needs root (useradd), /usr/bin/chromium and configurable-http-proxy (see docs/deploy.md).
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KEFU = [str(BIN / "kefu")]
CHROMIUM = Path(os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium"))
SHOTS = ROOT / ".pytest_cache" / "hub"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]
COURSE_ID = "hubtest"
ASSIGNMENT = "hub-ch01"
TRAINEES = ["KF001", "KF002"]
GRADER = "grader1"
COMMENT = "先倾听、再道歉,做得很好"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kefu(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run([*KEFU, *args], capture_output=True, text=True, timeout=600)
    if check and res.returncode != 0:
        pytest.fail(f"kefu {' '.join(args)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res


def _make_cohort(root: Path) -> Path:
    """A cohort with one small chapter: an autograded answer and a manually graded answer."""
    from kefu.authoring import cells as C
    from kefu.cohort.create import init_cohort

    adir = root / "assignments" / ASSIGNMENT
    adir.mkdir(parents=True)
    cells = [C.locked_markdown("# 小练习:问候与致歉", "title"),
             C.answer_code("q1", 'q1 = "您好,请问有什么可以帮您?"', before="# 写一句标准问候语"),
             C.test_code("q1-test", "assert isinstance(q1, str)", 'assert "您好" in q1', points=1),
             C.locked_markdown("**简答:客户投诉时先做什么?**", "m1-text"),
             C.manual_markdown("m1", "先倾听,再表示理解并道歉。", points=2)]
    C.write(C.notebook(cells, title="小练习"), adir / f"{ASSIGNMENT}.ipynb")
    roster = root / "roster.csv"
    roster.write_text("工号,姓名,班组,入职日期\n" + "".join(f"{t},学员{t[-1]},1组,2025-03-03\n" for t in TRAINEES),
                      encoding="utf-8")
    course = root / "course"
    init_cohort(course, roster, course_id=COURSE_ID, assignments_dir=root / "assignments")
    return course


def _font_env(tmp: Path) -> dict[str, str]:
    from mplfonts.conf import FONT_DIR

    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONT_DIR}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    return dict(os.environ, FONTCONFIG_FILE=str(conf))


def _wait_for_hub(url: str, proc: subprocess.Popen, log: Path, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"kefu hub up exited ({proc.returncode}):\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url + "hub/api", timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    pytest.fail(f"hub did not answer in {limit:.0f} s:\n{log.read_text(errors='replace')[-4000:]}")


def _uid_of(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


@pytest.fixture(scope="module")
def hub():
    if not CHROMIUM.exists():
        pytest.skip(f"没有找到 Chromium({CHROMIUM}):请先 apt-get install chromium")
    pytest.importorskip("playwright.sync_api", reason="playwright 未安装(pip install -e '.[dev]')")
    if os.geteuid() != 0:
        pytest.skip("kefu hub up 需要 root(为每个学员建立系统账号);本机测试不是以 root 运行")
    from kefu.cohort.config import CohortError
    from kefu.hub.accounts import check_environment_shared
    from kefu.hub.run import find_proxy

    try:
        find_proxy()
        check_environment_shared(Path(sys.executable))
    except CohortError as exc:  # a missing install step of the machine: fail loudly, never skip
        pytest.fail(str(exc))
    # not under pytest's tmp folder (mode 0700): trainee accounts must be able to enter the cohort folder
    root = Path(tempfile.mkdtemp(prefix="kefu-hub-", dir="/tmp"))
    os.chmod(root, 0o711)
    try:
        homes = root / "homes"
        homes.mkdir(mode=0o755)
        os.chmod(homes, 0o755)
        SHOTS.mkdir(parents=True, exist_ok=True)
        course = _make_cohort(root)
        _kefu("release", ASSIGNMENT, "--course", str(course))
        logins = root / "logins.xlsx"
        out = _kefu("hub", "passwords", "--course", str(course), "--out", str(logins), "--graders", GRADER)
        assert "3 个密码" in out.stdout
        import openpyxl

        ws = openpyxl.load_workbook(logins).active
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        assert rows[0] == ("id", "password")
        passwords = {r[0]: r[1] for r in rows[1:]}
        assert sorted(passwords) == sorted([*TRAINEES, GRADER])
        assert len(set(passwords.values())) == 3
        stored = (course / "hub" / "passwords.json").read_text()
        assert all(pw not in stored for pw in passwords.values()), "clear-text password in the store"
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise

    port = _free_port()
    log = root / "hub.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([*KEFU, "hub", "up", "--course", str(course), "--port", str(port),
                                 "--homes", str(homes)], stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_hub(url, proc, log)
        yield {"url": url, "course": course, "passwords": passwords, "root": root, "log": log, "proc": proc}
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        shutil.copy(log, SHOTS / "hub.log")
        uids = set()
        for t in TRAINEES:
            try:
                uids.add(pwd.getpwnam("kf-" + t.lower()).pw_uid)
            except KeyError:
                pass
        left = [p for p in os.listdir("/proc") if p.isdigit() and _uid_of(p) in uids]
        removed = _kefu("hub", "remove-accounts", "--course", str(course), check=False)
        shutil.rmtree(root, ignore_errors=True)
        assert proc.returncode == 0, f"kefu hub up exited {proc.returncode} on SIGTERM"
        assert not left, f"processes of trainee accounts left after the hub stopped: {left}"
        assert removed.returncode == 0, removed.stderr


@pytest.fixture(scope="module")
def browser(hub):
    from playwright.sync_api import sync_playwright

    fonts = Path(tempfile.mkdtemp(prefix="kefu-hub-fonts-"))
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, env=_font_env(fonts))
        yield b
        b.close()
    shutil.rmtree(fonts, ignore_errors=True)


def _login(browser, hub, user: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.goto(hub["url"] + "hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub["passwords"][user])
    page.click("#login_submit")
    return ctx, page


def _xsrf(ctx, path_prefix: str) -> str:
    cookies = [c for c in ctx.cookies() if c["name"] == "_xsrf"]
    best = max(cookies, key=lambda c: len(c["path"]) if path_prefix.startswith(c["path"]) else -1)
    return best["value"]


def _open_assignments(page) -> None:
    page.click(".lm-MenuBar-itemLabel >> text=Nbgrader")
    page.click(".lm-Menu-itemLabel >> text=Assignment List")
    page.wait_for_selector("#released_assignments_list")


def _panel_button(page, section: str, label: str):
    """The button ``label`` in a row of the panel's ``section`` list that names our assignment."""
    row = page.locator(f"#{section} .list_item", has_text=ASSIGNMENT).first
    return row.locator("button", has_text=label)


def _hub_log_tail(hub) -> str:
    """The end of the hub's log, for a failure message (CI keeps no files)."""
    return Path(hub["log"]).read_text(errors="replace")[-3000:]


def _refresh_panel(page) -> None:
    """The panel's refresh button; on a busy machine the click may not land (the list is being rebuilt):
    the caller looks for what it needs either way."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.click("#refresh_assignments_list", timeout=20_000)
    except PlaywrightTimeout:
        pass


def _click_in_panel(page, hub, section: str, label: str, rounds: int = 3) -> None:
    """Click ``label`` in our assignment's row of ``section``. The panel loads its lists once when it
    opens; where the row is not there yet, press the panel's refresh button as a trainee would. When it
    never comes, fail with what the panel showed and the end of the hub's log (CI keeps no screenshots)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = _panel_button(page, section, label)
    for _ in range(rounds):
        try:
            button.wait_for(state="visible", timeout=20_000)
            button.click(timeout=20_000)
            return
        except PlaywrightTimeout:  # refresh and look again (a busy machine: the list may still be loading)
            _refresh_panel(page)
    page.screenshot(path=str(SHOTS / f"panel-missing-{section}.png"))
    panel = page.locator("#assignments").inner_text() if page.locator("#assignments").count() else "(no panel)"
    log = _hub_log_tail(hub)
    pytest.fail(f"no {label!r} button for {ASSIGNMENT} in #{section} after {rounds} refreshes;\n"
                f"the panel showed:\n{panel}\n--- hub log ---\n{log}")


def _answer_and_submit(browser, hub, user: str) -> dict:
    name = user.lower()
    ctx, page = _login(browser, hub, user)
    page.wait_for_url(f"**/user/{name}/lab**", timeout=150_000)
    page.wait_for_selector("#jp-main-dock-panel")
    _open_assignments(page)
    # the panel reads Chinese on a hub-spawned server too (the kit's custom.css from its config folder)
    from kefu.classroom import trainee_panel as TP

    for key in ("released", "fetched", "submitted"):
        shown = page.eval_on_selector(TP.PANEL_SELECTORS[key], "e => getComputedStyle(e, '::before').content")
        assert shown.strip('"') == TP.PANEL[key], (key, shown)
    page.screenshot(path=str(SHOTS / f"{name}-1-released.png"))
    _click_in_panel(page, hub, "released_assignments_list", "Fetch")
    page.wait_for_selector(f"#fetched_assignments_list .list_item:has-text('{ASSIGNMENT}')")
    page.screenshot(path=str(SHOTS / f"{name}-2-fetched.png"))

    # answer through the trainee's own server (its contents API, with the browser's session)
    api = f"{hub['url']}user/{name}/api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    headers = {"X-XSRFToken": _xsrf(ctx, f"/user/{name}/")}
    r = ctx.request.get(api, headers=headers)
    assert r.status == 200, r.text()
    model = r.json()
    if user == TRAINEES[0]:
        # the panel's Validate on the untouched release, through the hub: the kit's handler answers in Chinese
        # (kefu.classroom.trainee_panel replaces nbgrader's validate extension on every trainee server)
        from kefu.classroom import trainee_panel as TP

        r = ctx.request.post(f"{hub['url']}user/{name}/assignments/validate",
                             headers={**headers, "Content-Type": "application/json"},
                             data=json.dumps({"path": f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"}), timeout=300_000)
        assert r.status == 200, r.text()
        reply = r.text()
        assert TP.NO_RESPONSE in [f["raw_error"] for f in json.loads(reply)["value"]["failed"]], reply
        assert "You did not provide" not in reply, reply
    nb = model["content"]
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid == "q1":
            cell["source"] = f'q1 = "您好,我是{user},请问有什么可以帮您?"'
        elif gid == "m1":
            cell["source"] = f"先耐心倾听客户,表示理解并道歉。({user})"
    r = ctx.request.put(api, headers=headers, data=json.dumps({"type": "notebook", "format": "json", "content": nb}))
    assert r.status == 200, r.text()

    _refresh_panel(page)
    _click_in_panel(page, hub, "fetched_assignments_list", "Submit")
    page.wait_for_selector(f"#submitted_assignments_list .list_item:has-text('{ASSIGNMENT}')")
    page.screenshot(path=str(SHOTS / f"{name}-3-submitted.png"))
    return {"ctx": ctx, "page": page, "name": name}


def _kernel_sandbox(course: Path, os_user: str) -> list[str]:
    """The bubblewrap part of the trainee's python3 kernel command: what runs after it runs as the
    trainee's kernel does (``runuser -u <account> -- <this> <command>``)."""
    spec = json.loads((course / "hub-trainee-config" / os_user / "data" / "kernels" / "python3" /
                       "kernel.json").read_text())
    argv = spec["argv"][:spec["argv"].index(sys.executable)]
    # the kernel's own connection-file bind is filled in by jupyter at launch; a probe has no such file
    i = argv.index("{connection_file}")
    return argv[: i - 1] + argv[i + 2 :]


def _status(ctx, url: str) -> int:
    return ctx.request.get(url, max_redirects=10).status


@pytest.mark.slow
@pytest.mark.browser
def test_cohort_through_the_hub(hub, browser):
    from nbgrader.api import Gradebook

    from kefu.cohort.config import load_config
    from kefu.hub.users import trainee_for_os_user

    course: Path = hub["course"]
    url = hub["url"]
    sessions = {t: _answer_and_submit(browser, hub, t) for t in TRAINEES}

    # each submission is recorded under its trainee's roster id and owned by that trainee's account
    inbound = course / "exchange" / COURSE_ID / "inbound"
    owners = {}
    for entry in inbound.iterdir():
        sid = entry.name.split("+")[0]
        owners[sid] = trainee_for_os_user(course, pwd.getpwuid(entry.stat().st_uid).pw_name)
    assert owners == {t: t for t in TRAINEES}

    # a trainee reaches neither the formgrader, nor another trainee's server, nor the instructor's files
    kf1 = sessions["KF001"]
    ctx1 = kf1["ctx"]
    assert _status(ctx1, f"{url}services/{COURSE_ID}/formgrader") == 403
    assert _status(ctx1, f"{url}services/{COURSE_ID}/formgrader/kefu-guide/{ASSIGNMENT}") == 403
    assert _status(ctx1, f"{url}user/kf002/api/contents") in (403, 404)
    assert _status(ctx1, f"{url}user/kf002/lab") in (403, 404)
    assert _status(ctx1, f"{url}user/kf001/formgrader") == 404
    assert _status(ctx1, f"{url}user/kf001/api/contents/../gradebook.db") in (400, 403, 404)
    assert _status(ctx1, f"{url}user/kf001/api/terminals") == 404
    os_user = "kf-kf001"
    for secret in (course / "gradebook.db", course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                   course / "nbgrader_config.py", course / "hub" / "passwords.json"):
        res = subprocess.run(["runuser", "-u", os_user, "--", "cat", str(secret)], capture_output=True)
        assert res.returncode != 0, f"{os_user} could read {secret}"
    other_home = Path(pwd.getpwnam("kf-kf002").pw_dir)
    res = subprocess.run(["runuser", "-u", os_user, "--", "ls", str(other_home)], capture_output=True)
    assert res.returncode != 0, f"{os_user} could list {other_home}"

    # a kernel of KF001's server runs as kf-kf001 inside bubblewrap; from there the cohort folder, the
    # exchange and the kit's assignments are empty while the trainee's own folder is there
    r = ctx1.request.post(f"{url}user/kf001/api/kernels", headers={"X-XSRFToken": _xsrf(ctx1, "/user/kf001/")},
                          data=json.dumps({"name": "python3"}))
    assert r.status == 201, r.text()
    uid = pwd.getpwnam(os_user).pw_uid
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kernels = [p for p in os.listdir("/proc") if p.isdigit() and _uid_of(p) == uid
                   and b"ipykernel_launcher" in Path(f"/proc/{p}/cmdline").read_bytes()]
        if kernels:
            break
        time.sleep(0.5)
    assert kernels, "no kernel process of kf-kf001"
    assert any(b"bwrap" in Path(f"/proc/{p}/cmdline").read_bytes() for p in kernels)
    argv = _kernel_sandbox(course, os_user)
    probe = ("import os,sys; print(os.path.exists(sys.argv[1]), os.listdir(sys.argv[2]), "
             "os.listdir(sys.argv[3]), os.path.isdir(sys.argv[4]))")
    home1 = Path(pwd.getpwnam(os_user).pw_dir)
    res = subprocess.run(["runuser", "-u", os_user, "--", *argv, sys.executable, "-c", probe,
                          str(course / "gradebook.db"), str(course / "exchange"), str(ROOT / "assignments"),
                          str(home1 / ASSIGNMENT)], capture_output=True, text=True, timeout=60)
    assert res.stdout.split() == ["False", "[]", "[]", "True"], res.stdout + res.stderr
    # the server's credentials stay out of the kernel: its runtime folder (connection info, token) is empty in
    # there, and the API token the hub gives the server is not in the kernel's environment
    from kefu.hub.trainee import runtime_dir_for

    runtime = runtime_dir_for(home1)
    assert any(runtime.iterdir()), f"the server wrote nothing into {runtime}"
    res = subprocess.run(["runuser", "-u", os_user, "--", *argv, sys.executable, "-c",
                          "import os,sys; print(os.listdir(sys.argv[1]))", str(runtime)],
                         capture_output=True, text=True, timeout=60)
    assert res.stdout.strip() == "[]", res.stdout + res.stderr
    def proc(pid: str, name: str) -> bytes:  # a process may end while we look
        try:
            return Path(f"/proc/{pid}/{name}").read_bytes()
        except OSError:
            return b""

    mine = [p for p in os.listdir("/proc") if p.isdigit() and _uid_of(p) == uid]
    servers = [p for p in mine if b"ipykernel_launcher" not in proc(p, "cmdline")]
    assert any(b"JUPYTERHUB_API_TOKEN=" in proc(p, "environ") for p in servers), "the server has no hub token"
    inside = [p for p in kernels if proc(p, "cmdline") and b"bwrap" not in proc(p, "cmdline")]  # not bwrap itself
    assert inside and all(b"JUPYTERHUB_API_TOKEN=" not in proc(p, "environ") for p in inside)

    # the trainer collects and autogrades (CLI, trusted path)
    _kefu("collect", ASSIGNMENT, "--course", str(course))
    _kefu("autograde", ASSIGNMENT, "--course", str(course), "--no-progress")
    cfg = load_config(course)
    with Gradebook(cfg.CourseDirectory.db_url, COURSE_ID) as gb:
        subs = {s.student.id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}
    assert sorted(subs) == TRAINEES
    assert all(score == 1.0 for score in subs.values()), subs

    # the grader lands on the formgrader in its own tab and scores the manual answer of KF001
    gctx, gpage = _login(browser, hub, GRADER)
    gpage.wait_for_url(f"**/services/{COURSE_ID}/formgrader/**", timeout=90_000)
    gpage.wait_for_selector(f"td:has-text('{ASSIGNMENT}')")
    gpage.screenshot(path=str(SHOTS / "grader-1-formgrader.png"))
    with Gradebook(cfg.CourseDirectory.db_url, COURSE_ID) as gb:
        sub_id = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "KF001").id
    # kefu's formgrader extension is loaded by the hub's formgrader service (guide link, late-exam rule)
    gpage.goto(f"{url}services/{COURSE_ID}/formgrader/manage_submissions/{ASSIGNMENT}")
    gpage.wait_for_selector("#kefu-guide-link", timeout=60_000)
    gpage.goto(f"{url}services/{COURSE_ID}/formgrader/submissions/{sub_id}/?index=0")
    # the last score box belongs to the manually graded answer m1 (the first is q1's autograded test)
    score = gpage.locator("input.score").last
    score.wait_for()
    gpage.screenshot(path=str(SHOTS / "grader-2-submission.png"), full_page=True)
    score.fill("2")
    score.press("Tab")
    comment = gpage.locator("textarea.comment").last
    comment.fill(COMMENT)
    comment.press("Tab")
    gpage.wait_for_timeout(1500)
    gpage.screenshot(path=str(SHOTS / "grader-3-scored.png"), full_page=True)
    with Gradebook(cfg.CourseDirectory.db_url, COURSE_ID) as gb:
        nb = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "KF001")
        assert nb.score == 3.0, [(g.name, g.score) for g in nb.grades]
    assert _status(gctx, f"{url}user/kf001/lab") in (403, 404)

    # the trainer releases feedback; KF001 fetches it from the panel and reads it
    _kefu("feedback", ASSIGNMENT, "--course", str(course))
    page = kf1["page"]
    _refresh_panel(page)
    _click_in_panel(page, hub, "submitted_assignments_list", "Fetch Feedback")
    page.wait_for_selector("#submitted_assignments_list a:has-text('view feedback')", timeout=60_000)
    page.screenshot(path=str(SHOTS / "kf001-4-feedback.png"))
    home = Path(pwd.getpwnam("kf-kf001").pw_dir)
    feedback = sorted((home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
    assert feedback, "no feedback fetched into the trainee's folder"
    rel = feedback[-1].relative_to(home)
    fb = ctx1.request.get(f"{url}user/kf001/files/{rel}")
    assert fb.status == 200
    fpage = ctx1.new_page()
    fpage.goto(f"{url}user/kf001/files/{rel}")
    fpage.screenshot(path=str(SHOTS / "kf001-5-feedback-page.png"), full_page=True)
    text = fpage.locator("body").inner_text()
    assert COMMENT in text and "3" in text

    # KF002 changes their password on the hub's page; the old one stops working, the new one works
    kf2 = sessions["KF002"]["page"]
    kf2.goto(f"{url}hub/kefu-password")
    kf2.fill("input[name=old]", hub["passwords"]["KF002"])
    kf2.fill("input[name=new]", "新的密码-2025")
    kf2.fill("input[name=again]", "新的密码-2025")
    kf2.click("button[type=submit]")
    kf2.wait_for_selector("text=密码已修改")
    kf2.screenshot(path=str(SHOTS / "kf002-password-changed.png"))
    old = _login(browser, hub, "KF002")
    old[1].wait_for_load_state()
    assert "/hub/login" in old[1].url
    assert old[1].locator(".login_error").count() == 1
    old[0].close()
    hub["passwords"]["KF002"] = "新的密码-2025"
    new_ctx, new_page = _login(browser, hub, "KF002")
    new_page.wait_for_url("**/user/kf002/**", timeout=90_000)
    new_ctx.close()
    for s in sessions.values():
        s["ctx"].close()
    gctx.close()


def _restart_server(ctx, page, hub, name: str) -> None:
    """Stop and start ``name``'s server with the hub's REST API, as the trainee (the hub's control panel),
    then open JupyterLab again (a new server: the browser logs in to it through the hub once more)."""
    url = hub["url"]
    api = f"{url}hub/api/users/{name}"
    headers = {"X-XSRFToken": _xsrf(ctx, "/hub/")}
    r = ctx.request.delete(f"{api}/server", headers=headers)
    assert r.status in (202, 204), r.text()
    deadline = time.monotonic() + 90
    while ctx.request.get(api, headers=headers).json().get("server") and time.monotonic() < deadline:
        time.sleep(0.5)
    r = ctx.request.post(f"{api}/server", headers=headers)
    assert r.status in (201, 202), r.text()
    page.goto(f"{url}hub/user/{name}/lab")
    try:
        page.wait_for_url(f"**/user/{name}/lab**", timeout=150_000)
        page.wait_for_selector("#jp-main-dock-panel")
    except Exception as exc:
        pytest.fail(f"{name}'s server did not come back ({exc}):\n"
                    f"{_hub_log_tail(hub)}")


@pytest.mark.slow
@pytest.mark.browser
def test_files_a_trainee_plants_never_configure_their_server(hub, browser):
    """A trainee's kernel (in bubblewrap) may write anything in the trainee's own folder. None of it may
    configure the trainee's server, which runs outside the sandbox: Jupyter and nbgrader configuration
    files are Python that the server would run (reading keys the sandbox hides), and a kernel spec there
    would start a kernel without bubblewrap. Planted from inside the kernel's sandbox, then the server is
    restarted from the hub and the Assignments panel is used."""
    course: Path = hub["course"]
    url = hub["url"]
    os_user, name = "kf-kf001", "kf001"
    home = Path(pwd.getpwnam(os_user).pw_dir)

    def plant(tag: str) -> str:
        return f"import pathlib\npathlib.Path({str(home / ('planted-' + tag + '.txt'))!r}).write_text('ran')\n"

    free = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (no sandbox)", "language": "python"}
    planted = {
        ".jupyter/jupyter_server_config.py": plant("jupyter-config-dir"),
        ".jupyter/jupyter_config.py": plant("jupyter-config"),
        ".jupyter/nbgrader_config.py": plant("nbgrader-config-dir"),
        ".local/etc/jupyter/jupyter_server_config.py": plant("user-site-config"),
        "nbgrader_config.py": plant("nbgrader-home"),           # nbgrader's panel handlers read their cwd
        f"{ASSIGNMENT}/nbgrader_config.py": plant("nbgrader-assignment"),
        ".local/share/jupyter/kernels/free/kernel.json": json.dumps(free),
    }
    writer = ("import json, pathlib, sys\n"
              "for rel, text in json.loads(sys.argv[2]).items():\n"
              "    p = pathlib.Path(sys.argv[1], rel); p.parent.mkdir(parents=True, exist_ok=True)\n"
              "    p.write_text(text)\n")
    res = subprocess.run(["runuser", "-u", os_user, "--", *_kernel_sandbox(course, os_user), sys.executable,
                          "-c", writer, str(home), json.dumps(planted)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    assert all((home / rel).is_file() for rel in planted)

    ctx, page = _login(browser, hub, "KF001")
    try:
        page.wait_for_url(f"**/user/{name}/lab**", timeout=150_000)
        _restart_server(ctx, page, hub, name)
        headers = {"X-XSRFToken": _xsrf(ctx, f"/user/{name}/")}
        # the panel's list, fetch-feedback and courses: nbgrader's handlers, which load configuration
        for path in (f"assignments?course_id={COURSE_ID}", "courses"):
            r = ctx.request.get(f"{url}user/{name}/{path}", headers=headers)
            assert r.status == 200 and r.json()["success"], r.text()
        r = ctx.request.post(f"{url}user/{name}/assignments/fetch_feedback", headers=headers,
                             form={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
        assert r.status == 200, r.text()
        ran = sorted(p.name for p in home.glob("planted-*.txt"))
        assert ran == [], f"the trainee's server ran files the trainee planted: {ran}"
        # only the sandboxed python3 kernel exists and can start
        specs = ctx.request.get(f"{url}user/{name}/api/kernelspecs", headers=headers).json()
        assert set(specs["kernelspecs"]) == {"python3"}, sorted(specs["kernelspecs"])
        r = ctx.request.post(f"{url}user/{name}/api/kernels", headers=headers, data=json.dumps({"name": "free"}))
        assert r.status != 201, "a kernel spec from the trainee's folder started"
        # the trainee's own JupyterLab settings are still saved (their folder, not the locked configuration)
        theme = f"{url}user/{name}/lab/api/settings/@jupyterlab/apputils-extension:themes"
        r = ctx.request.put(theme, headers={**headers, "Content-Type": "application/json"},
                            data=json.dumps({"raw": '{"theme": "JupyterLab Dark"}'}))
        assert r.status == 204, r.text()
        assert "JupyterLab Dark" in ctx.request.get(theme, headers=headers).text()
    finally:
        for rel in planted:
            (home / rel).unlink(missing_ok=True)
        ctx.close()

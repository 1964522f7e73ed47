"""nbgrader's Assignments-panel backend on a trainee's server, reading configuration only from Jupyter's
configuration path — never from the trainee's own folder.

nbgrader's panel handlers (``nbgrader.server_extensions.assignment_list``, and Validate) load
``nbgrader_config.py`` from the server's current folder and from the assignment folder as well as from
Jupyter's configuration path. On a trainee's server both folders are the trainee's home, which the
trainee writes freely (the file browser, or a kernel: bubblewrap binds the home read-write). A
configuration file is Python: one planted there would run inside the *server* process, outside the
kernel's sandbox, where it could read what bubblewrap hides (the kit's assignments with their answers)
and rewrite the trainee's own nbgrader identity or exchange settings.

This server extension (``kefu.classroom.assignment_list``, in place of nbgrader's ``assignment_list``)
registers nbgrader's own handlers (list, fetch, submit, fetch feedback, courses, version) with
:class:`TrustedConfigList`, nbgrader's manager whose two configuration loaders skip the current folder.
Everything else — the exchange calls, the replies — is nbgrader's. :func:`trusted_nbgrader_config` is
the same loader for the kit's Validate handler (:mod:`kefu.classroom.trainee_panel`).

The configuration path itself must be out of the trainee's reach too: the hub's spawner points
``JUPYTER_CONFIG_DIR`` at a root-owned folder (:mod:`kefu.hub.spawner`), so ``~/.jupyter`` is not read.
"""
from __future__ import annotations

import collections
import contextlib
import math
import time
from pathlib import Path

from kefu.cohort.provenance import SUBMISSION_MAX_BYTES, SUBMISSION_MAX_FILES, links_in, oversize

#: the panel's answer to fetch / submit / fetch feedback when the assignment folder holds links
#: (shown in a one-line-per-line box of nbgrader's dialog: short lines, or the end is cut off)
LINKS_REFUSED = ("作业文件夹“{folder}”里有符号链接({names}),\n"
                 "为了保护答案和成绩册,不能{action}。\n"
                 "这些链接是在笔记本里用代码建立的(文件浏览器不显示指向别处的链接):\n"
                 "请用代码删除它们后再试,或联系培训老师。")
ACTIONS = {"fetch": "下载作业", "submit": "提交作业", "fetch_feedback": "获取批改反馈"}
#: the panel's answer to submit when the assignment folder is too big (provenance.oversize)
TOO_BIG = ("作业文件夹“{folder}”{what},不能提交作业\n"
           f"(每份提交最多 {SUBMISSION_MAX_BYTES // (1024 * 1024)} MB、{SUBMISSION_MAX_FILES} 个文件或文件夹)。\n"
           "请删除不需要的大文件(数据、视频、压缩包等)后再提交。")


#: submits a trainee's server accepts in any rolling hour, all assignments together. Every submit leaves a full copy
#: (up to the size limit above) in the shared exchange, and a trainee can script their own server's API from the
#: browser, so a loop could press Submit thousands of times an hour. Kept in the server's memory, not in a file the
#: trainee could delete: resetting it takes restarting the server by hand (docs/cohort-integrity.md)
SUBMITS_PER_HOUR = 10
_HOUR_S = 3600
TOO_OFTEN = ("这一小时里已经提交了 {n} 次作业,请 {minutes} 分钟后再提交。\n"
             "之前提交的作业都已保存;如确需马上再交,请联系培训老师。")


def trusted_nbgrader_config():
    """nbgrader's configuration from Jupyter's configuration path only (no ``nbgrader_config.py`` from
    the current folder)."""
    from nbgrader.apps import NbGrader

    app = NbGrader()
    app.load_cwd_config = False  # nbgrader's own switch for the current-folder file
    app.load_config_file()
    return app.config


def _manager_class():
    from nbgrader.exchange import ExchangeFactory
    from nbgrader.server_extensions.assignment_list.handlers import AssignmentList, chdir
    from traitlets import Integer

    class TrustedConfigList(AssignmentList):
        """nbgrader's assignment-list manager; its configuration never comes from the trainee's folder, and it
        accepts at most ``submits_per_hour`` submits in any rolling hour."""

        submits_per_hour = Integer(SUBMITS_PER_HOUR, config=True,
                                   help="Submits accepted in any rolling hour, all assignments together (0: no limit).")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._submitted: collections.deque[float] = collections.deque()  # monotonic times of accepted submits

        def _too_often(self, assignment_id):
            now = time.monotonic()
            while self._submitted and now - self._submitted[0] >= _HOUR_S:
                self._submitted.popleft()
            if not self.submits_per_hour or len(self._submitted) < self.submits_per_hour:
                return None
            minutes = max(1, math.ceil((_HOUR_S - (now - self._submitted[0])) / 60))
            self.log.warning("kefu: submit of %s refused, %d submits in the last hour", assignment_id,
                             len(self._submitted))
            return {"success": False, "value": TOO_OFTEN.format(n=len(self._submitted), minutes=minutes)}

        def load_config(self):
            return trusted_nbgrader_config()

        # nbgrader copies with shutil, which follows links: a link in the trainee's assignment folder
        # would make the server (the trainer's rights under kefu lab) submit a file the trainee cannot
        # read, or write a fetched / feedback file wherever the link points. A submit is also refused when
        # the folder is too big (below)
        def _refusal(self, course_id, assignment_id, action):
            config = self.load_config()
            base = Path(config.Exchange.assignment_dir or self.root_dir)
            course = base / str(course_id)  # the assignment's folder when Exchange.path_includes_course
            cache = Path(config.Exchange.cache)  # submit writes a copy there too
            folders = (course / str(assignment_id), base / str(assignment_id))
            names = [p.name for p in (course, cache, cache / str(course_id)) if p.is_symlink()]
            for folder in folders:
                names = names or links_in(folder)  # a missing folder has none
            if names:
                self.log.warning("kefu: %s of %s refused, links: %s", action, assignment_id, names)
                return {"success": False, "value": LINKS_REFUSED.format(
                    folder=assignment_id, names="、".join(names), action=ACTIONS[action])}
            if action == "submit":
                # every submit leaves a full copy in the shared exchange: a folder stuffed with big files
                # would fill the disk the cohort's gradebook is on
                for folder in folders:
                    what = folder.is_dir() and oversize(folder)
                    if what:
                        self.log.warning("kefu: submit of %s refused, %s", assignment_id, what)
                        return {"success": False, "value": TOO_BIG.format(folder=assignment_id, what=what)}
            return None

        def fetch_assignment(self, course_id, assignment_id):
            return self._refusal(course_id, assignment_id, "fetch") or super().fetch_assignment(
                course_id, assignment_id)

        def submit_assignment(self, course_id, assignment_id):
            refused = self._too_often(assignment_id) or self._refusal(course_id, assignment_id, "submit")
            if refused:
                return refused
            reply = super().submit_assignment(course_id, assignment_id)
            if reply.get("success") is not False:
                self._submitted.append(time.monotonic())
            return reply

        def fetch_feedback(self, course_id, assignment_id):
            return self._refusal(course_id, assignment_id, "fetch_feedback") or super().fetch_feedback(
                course_id, assignment_id)

        @contextlib.contextmanager
        def get_assignment_dir_config(self):
            # nbgrader's version reloads the configuration inside the assignment folder to pick up a
            # nbgrader_config.py there; the folder is kept as the current one for the exchange calls
            config = self.load_config()
            lister = ExchangeFactory(config=config).List(config=config)
            with chdir(lister.assignment_dir):
                yield config

    return TrustedConfigList


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp) -> None:
    """What ``nbgrader.server_extensions.assignment_list`` does, with :class:`TrustedConfigList`."""
    from jupyter_server.utils import url_path_join as ujoin
    from nbgrader.server_extensions.assignment_list.handlers import default_handlers

    webapp = serverapp.web_app
    manager = _manager_class()(parent=serverapp)
    manager.root_dir = serverapp.root_dir
    webapp.settings["assignment_list_manager"] = manager
    base = webapp.settings["base_url"]
    webapp.add_handlers(".*$", [(ujoin(base, pattern), handler) for pattern, handler in default_handlers])
    serverapp.log.info("kefu: the Assignments panel reads nbgrader's configuration from the config path only")

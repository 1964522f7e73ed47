"""JupyterHub authenticator over the cohort's hashed password file, and a change-password page.

Loaded by JupyterHub (``c.JupyterHub.authenticator_class``); ``KefuAuthenticator.course_dir`` is set
by the generated jupyterhub_config.py.
"""
from __future__ import annotations

import html

from jupyterhub.auth import Authenticator
from jupyterhub.handlers import BaseHandler
from tornado import web
from traitlets import Unicode

from kefu.cohort.config import CohortError

from .passwords import MIN_LENGTH, check_password, set_password

PASSWORD_PAGE = "/kefu-password"


class KefuAuthenticator(Authenticator):
    course_dir = Unicode(help="The cohort folder whose hub/passwords.json holds the hashes").tag(config=True)

    async def authenticate(self, handler, data):
        name = self.normalize_username(str(data.get("username") or ""))
        if not name or not self.check_allowed(name, None):
            return None
        if check_password(self.course_dir, name, str(data.get("password") or "")):
            return name
        self.log.warning("kefu: failed login for %r", name)
        return None

    def get_handlers(self, app):
        handlers = super().get_handlers(app)
        return [*handlers, (PASSWORD_PAGE, ChangePasswordHandler)]


_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>修改密码</title>
<style>body{{font-family:sans-serif;max-width:28em;margin:3em auto}}label{{display:block;margin:.8em 0}}
input[type=password]{{width:100%;padding:.4em}}.msg{{padding:.6em;border-radius:4px;background:#eef}}
.err{{background:#fee}}</style></head><body>
<h2>修改密码({user})</h2>{message}
<form method="post">{xsrf}
<label>当前密码<input type="password" name="old" autocomplete="current-password" required></label>
<label>新密码(至少 {min} 个字符)<input type="password" name="new" autocomplete="new-password" required></label>
<label>再输入一次新密码<input type="password" name="again" autocomplete="new-password" required></label>
<button type="submit">修改</button></form>
<p><a href="{home}">返回首页</a></p></body></html>"""


class ChangePasswordHandler(BaseHandler):
    """/hub/kefu-password: a logged-in user changes their own password."""

    def _page(self, message: str = "", error: bool = False) -> None:
        msg = f'<p class="msg{" err" if error else ""}">{html.escape(message)}</p>' if message else ""
        self.finish(_PAGE.format(user=html.escape(self.current_user.name), message=msg,
                                 xsrf=self.xsrf_form_html(), min=MIN_LENGTH,
                                 home=html.escape(self.hub.base_url + "home")))

    @web.authenticated
    def get(self):
        self._page()

    @web.authenticated
    def post(self):
        course_dir = self.authenticator.course_dir
        name = self.current_user.name
        old = self.get_body_argument("old", "")
        new = self.get_body_argument("new", "")
        again = self.get_body_argument("again", "")
        if not check_password(course_dir, name, old):
            return self._page("当前密码不对,密码没有修改。", error=True)
        if new != again:
            return self._page("两次输入的新密码不一样,密码没有修改。", error=True)
        try:
            set_password(course_dir, name, new)
        except CohortError as exc:
            return self._page(str(exc), error=True)
        self._page("密码已修改,下次登录请用新密码。")

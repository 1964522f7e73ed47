"""Tornado handlers of :mod:`kefu.grading.formgrader_ext` (subclasses of nbgrader's, no copied code)."""
from __future__ import annotations

import html
import json

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from jupyter_server.utils import url_path_join
from nbgrader.api import MissingEntry
from nbgrader.server_extensions.formgrader import apihandlers
from nbgrader.server_extensions.formgrader.base import BaseHandler
from tornado import web

from . import TEMPLATES, _late_rule, mark_late


class _LateMixin:
    """Rewrites the JSON a submission handler writes; the late seconds come from nbgrader's gradebook."""

    def _late_seconds(self, assignment_id: str, student_id: str) -> float:
        try:
            return float(self.gradebook.find_submission(assignment_id, student_id).total_seconds_late or 0)
        except MissingEntry:  # not submitted: nbgrader lists "missing" rows too
            return 0.0

    def _rewrite(self, item: dict, rule) -> dict:
        raise NotImplementedError

    def write(self, chunk):
        try:
            data = json.loads(chunk) if isinstance(chunk, str) else None
        except ValueError:  # nbgrader's HTML error pages go through write() too
            data = None
        if data is not None:
            rule = _late_rule()
            if isinstance(data, list):
                data = [self._rewrite(x, rule) if isinstance(x, dict) else x for x in data]
            elif isinstance(data, dict):
                data = self._rewrite(data, rule)
            chunk = json.dumps(data)
        super().write(chunk)


class SubmissionCollection(_LateMixin, apihandlers.SubmissionCollectionHandler):
    def _rewrite(self, item, rule):
        aid = self.path_args[0]
        return mark_late(item, aid, self._late_seconds(aid, item.get("student")), rule)


class Submission(_LateMixin, apihandlers.SubmissionHandler):
    def _rewrite(self, item, rule):
        aid, sid = self.path_args[0], self.path_args[1]
        return mark_late(item, aid, self._late_seconds(aid, sid), rule)


class StudentSubmissionCollection(_LateMixin, apihandlers.StudentSubmissionCollectionHandler):
    def _rewrite(self, item, rule):
        aid, sid = item.get("name"), self.path_args[0]
        return mark_late(item, aid, self._late_seconds(aid, sid), rule)


class GuideHandler(BaseHandler):
    """The grader's guide of one assignment (key points, model answers, bands), grader-only."""

    @web.authenticated
    def get(self, assignment_id):
        from pathlib import Path

        from kefu.grading.guide import GuideError, build, keys_dir_of, render

        course = Path(self.coursedir.root)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        try:
            guide = build(assignment_id, keys_dir_of(course), course=course)
        except GuideError as exc:
            # Jupyter's own 404 page hides the reason; the grader needs it (which keys file is missing)
            self.set_status(404)
            self.finish(f'<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>批改指南</title>'
                        f"<p>没有 {html.escape(assignment_id)} 的批改指南:{html.escape(str(exc))}</p></html>")
            return
        self.finish(render(guide))


ROUTES = [
    (r"/formgrader/api/submissions/([^/]+)", SubmissionCollection),
    (r"/formgrader/api/submission/([^/]+)/([^/]+)", Submission),
    (r"/formgrader/api/student_submissions/([^/]+)", StudentSubmissionCollection),
    (r"/formgrader/kefu-guide/([^/]+)", GuideHandler),
]


def install(webapp, log) -> None:
    env = webapp.settings.get("nbgrader_jinja2_env")
    if env is None:
        log.warning("kefu formgrader extension: nbgrader's formgrader is not loaded; nothing added")
        return
    # our templates first; "nbgrader/<name>" reaches nbgrader's own template of that name (for extends)
    original = env.loader
    env.loader = ChoiceLoader([FileSystemLoader([str(TEMPLATES)]), PrefixLoader({"nbgrader": original}), original])
    if env.cache is not None:  # nothing rendered yet, but a cached nbgrader template must not win
        env.cache.clear()
    base = webapp.settings["base_url"]
    webapp.add_handlers(".*$", [(url_path_join(base, p.lstrip("/")), h) for p, h in ROUTES])
    # add_handlers puts the new rule last (before the fallback); ours must win over nbgrader's same URLs
    rules = webapp.default_router.rules
    rules.insert(0, rules.pop(-2))
    log.info("kefu formgrader extension: late exams shown as 0, grader's guide at /formgrader/kefu-guide/")

"""What a trainee reads in nbgrader's panels: Validate results in Chinese, submission times in local time.

nbgrader 0.9 is used as installed; this module configures and subclasses it for the trainee's server.

**Validate.** The lab's Validate button posts to ``/assignments/validate``; nbgrader's handler builds a
stock :class:`nbgrader.validator.Validator` (not configurable as a class) and returns its *results*
(``{"failed": [{"source", "error", "raw_error"}]}``, ``{"changed": …}``, or ``{}``), not the printed
report. The headings of the dialog ("The following cell failed:", "Success! Your notebook passes all
the tests.", "Validation Results") are fixed English strings in nbgrader's labextension:

* :class:`ChineseValidateHandler` (server extension ``kefu.classroom.trainee_panel``, replacing
  ``nbgrader.server_extensions.validate_assignment`` on a trainee's server) runs nbgrader's own handler
  and only rewrites nbgrader's fixed English inside the result — "You did not provide a response.",
  "Partial credit; …" (the whole error text when nbgrader adds them) and its error replies;
  the trainee's own outputs (tracebacks, the exams' Chinese ⚠ messages) pass unchanged.
* :data:`DIALOG_CSS` (JupyterLab's ``custom.css``, ``LabApp.custom_css``) puts Chinese headings over the
  dialog's fixed English labels, keyed by the classes the labextension sets (``validation-failed``, …).
* :func:`validator_config_lines` — ``Validator.*_warning`` in Chinese for ``nbgrader validate``
  (the only strings of the command that configuration reaches; each stays one line under
  ``Validator.width`` so ``textwrap.fill`` leaves it whole).

**Panel times.** The Assignments panel prints each submission's ``timestamp`` as the list handler
returns it: the time in the name of the trainee's cache folder, written at submit time in
``Exchange.timezone`` — UTC on purpose (nbgrader cannot read back "CST"; kefu's collect takes the time
from the trusted side anyway). :class:`LocalTimeList` (``ExchangeFactory.list`` in the trainee's
``nbgrader_config.py``) converts only the *returned* timestamp to the cohort's timezone after nbgrader
has used the original one for its feedback look-ups; nothing written to the exchange or the cache
changes.
"""
from __future__ import annotations

import datetime as dt

from traitlets import Unicode

#: nbgrader's fixed English that ``Validator._extract_error`` returns as a cell's whole error text
NO_RESPONSE_EN = "You did not provide a response."
PARTIAL_EN = "Partial credit; passed some but not all of the tests"
NO_RESPONSE = "您还没有作答(这个单元格还是发下来时的样子)。"
PARTIAL = "只得了部分分数:这道题的检查有的通过了,有的没有通过。"
ERROR_LEAD = "请把下面的信息告诉培训老师:\n\n"
SCHEMA_OLD = "这个笔记本用的是旧版的 nbgrader 格式,无法验证,请告诉培训老师。"
SCHEMA_NEW = "这个笔记本用的是更新版本的 nbgrader 格式,无法验证,请告诉培训老师。"

#: ``nbgrader validate``'s summary lines (``Validator`` traitlets; ``{num_…}`` filled in by nbgrader)
WARNINGS = {
    "failed_warning": "有 {num_failed} 个测试单元格没有通过验证!照现在的样子提交,拿不到全部分数。",
    "changed_warning": "有 {num_changed} 个测试单元格的内容被改动过!现在能通过,评分时也可能通不过。",
    "type_changed_warning": "有 {num_changed} 个单元格的类型被改动过!现在能通过,评分时也可能通不过。",
    "passed_warning": "有 {num_passed} 个单元格通过了验证!",
}

#: the dialog's headings (shown over the labextension's English labels, see DIALOG_CSS)
HEADINGS = {
    "failed": "下面这个单元格没有通过验证:",
    "changed": "下面这个单元格的内容被改动过,它本不该被改动:",
    "type-changed": "下面这个单元格的类型被改动过,它本不该被改动:",
    "success": "验证通过!所有测试单元格都没有发现问题。",
    "error": "验证程序运行出错:",
    "title": "验证结果",
    "button": "验证",            # the notebook toolbar's "Validate" button
    "button-busy": "正在验证…",  # its "Saving..." / "Validating..." while disabled
}


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dialog_css() -> str:
    """JupyterLab ``custom.css``: Chinese over the Validate dialog's fixed English labels and title."""
    h = HEADINGS
    label = "#validation-message > div > p"
    lines = [
        "/* kefu-kit (kefu.classroom.trainee_panel): nbgrader's Validate dialog in Chinese. The labels are fixed",
        "   English in nbgrader's labextension; the English text is kept in the page, shown in Chinese here. */",
        f"{label} {{ font-size: 0; }}",
        f"{label}::before {{ font-size: var(--jp-ui-font-size1, 13px); content: {_css_text(h['error'])}; }}",
        f"#validation-message.validation-failed > div > p::before {{ content: {_css_text(h['failed'])}; }}",
        f"#validation-message.validation-changed > div > p::before {{ content: {_css_text(h['changed'])}; }}",
        f"#validation-message.validation-type-changed > div > p::before {{ content: {_css_text(h['type-changed'])}; }}",
        f"#validation-message.validation-success > div > p::before {{ content: {_css_text(h['success'])}; }}",
        "jp-button.validate-button .jp-ToolbarButtonComponent-label { font-size: 0; }",
        "jp-button.validate-button .jp-ToolbarButtonComponent-label::before"
        f" {{ font-size: var(--jp-ui-font-size1, 13px); content: {_css_text(h['button'])}; }}",
        "jp-button.validate-button[disabled] .jp-ToolbarButtonComponent-label::before"
        f" {{ content: {_css_text(h['button-busy'])}; }}",
        ".jp-Dialog-content:has(#validation-message) .jp-Dialog-header { font-size: 0; }",
        ".jp-Dialog-content:has(#validation-message) .jp-Dialog-header::before"
        f" {{ font-size: calc(var(--jp-ui-font-size1, 13px) * 1.44); content: {_css_text(h['title'])}; }}",
    ]
    return "\n".join(lines) + "\n"


DIALOG_CSS = dialog_css()


def validator_config_lines() -> list[str]:
    """Lines for a trainee's ``nbgrader_config.py``: ``nbgrader validate``'s summaries in Chinese."""
    lines = ["# nbgrader validate: the summary lines in Chinese (kefu.classroom.trainee_panel)"]
    lines += [f"c.Validator.{name} = {text!r}" for name, text in WARNINGS.items()]
    return lines


def list_config_lines(display_timezone: str) -> list[str]:
    """Lines for a trainee's ``nbgrader_config.py``: the Assignments panel lists times in ``display_timezone``."""
    return [
        "# the Assignments panel shows submission times in the cohort's timezone; what is written stays UTC",
        f"c.ExchangeFactory.list = {__name__ + '.LocalTimeList'!r}",
        f"c.LocalTimeList.display_timezone = {display_timezone!r}",
    ]


# ----------------------------------------------------------------------------- Validate results

def chinese_error(raw: str) -> str:
    """A failed cell's error text with nbgrader's own English replaced (the trainee's output unchanged)."""
    return {NO_RESPONSE_EN: NO_RESPONSE, PARTIAL_EN: PARTIAL}.get(raw, raw)


def chinese_result(retvalue: dict) -> dict:
    """nbgrader's ``/assignments/validate`` reply with nbgrader's English texts in Chinese."""
    from nbconvert.filters import ansi2html

    if not retvalue.get("success"):
        value = str(retvalue.get("value", ""))
        if "uses an old version" in value:
            value = SCHEMA_OLD
        elif "uses a newer version" in value:
            value = SCHEMA_NEW
        else:
            value = ERROR_LEAD + value
        return {**retvalue, "value": value}
    value = retvalue.get("value")
    if isinstance(value, dict):
        for cell in value.get("failed", []):
            raw = cell.get("raw_error", "")
            zh = chinese_error(raw)
            if zh != raw:
                cell["raw_error"], cell["error"] = zh, ansi2html(zh)
    return retvalue


def _handler_class():
    from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler

    class ChineseValidateHandler(ValidateAssignmentHandler):
        """nbgrader's Validate handler (its path check, its Validator and config loading) with the
        reply's fixed English in Chinese."""

        def validate_notebook(self, path):
            return chinese_result(super().validate_notebook(path))

    return ChineseValidateHandler


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Register ``/assignments/validate`` (Chinese replies) and nbgrader's ``/nbgrader_version``
    (the labextension's Validate button asks it first): what nbgrader's validate_assignment did."""
    from jupyter_server.utils import url_path_join as ujoin
    from nbgrader.server_extensions.validate_assignment.handlers import NbGraderVersionHandler

    webapp = serverapp.web_app
    webapp.settings["root_dir"] = serverapp.root_dir
    base = webapp.settings["base_url"]
    webapp.add_handlers(".*$", [
        (ujoin(base, r"/assignments/validate"), _handler_class()),
        (ujoin(base, r"/nbgrader_version"), NbGraderVersionHandler),
    ])
    serverapp.log.info("kefu: Validate with Chinese results (kefu.classroom.trainee_panel)")


# ----------------------------------------------------------------------------- panel times

def local_time(timestamp: str, zone: str) -> str:
    """nbgrader's timestamp text (``2026-12-02 10:31:22.123456 UTC``) as ``2026-12-02 18:31:22(UTC+08:00)``
    in ``zone``; unchanged when it cannot be read."""
    from zoneinfo import ZoneInfo

    from nbgrader.utils import parse_utc

    try:
        when = parse_utc(timestamp).replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(zone))
    except (ValueError, OverflowError, TypeError, KeyError):
        return timestamp
    offset = when.strftime("%z")
    return f"{when:%Y-%m-%d %H:%M:%S}(UTC{offset[:3]}:{offset[3:]})"


def _list_base():
    from nbgrader.exchange.default import ExchangeList

    return ExchangeList


def _make_local_time_list():
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from traitlets import TraitError, validate

    class LocalTimeList(_list_base()):
        """nbgrader's ExchangeList whose *returned* submission timestamps are in ``display_timezone``."""

        display_timezone = Unicode("UTC", help="Timezone the trainee's panel shows submission times in").tag(config=True)

        @validate("display_timezone")
        def _valid_zone(self, proposal):
            try:
                ZoneInfo(proposal["value"])
            except (ZoneInfoNotFoundError, ValueError):
                raise TraitError(f"invalid timezone {proposal['value']!r}") from None
            return proposal["value"]

        def parse_assignments(self):
            assignments = super().parse_assignments()
            if self.inbound or self.cached:
                for assignment in assignments:
                    for info in assignment.get("submissions", []):
                        info["timestamp"] = local_time(info["timestamp"], self.display_timezone)
            return assignments

    LocalTimeList.__module__ = __name__
    LocalTimeList.__qualname__ = "LocalTimeList"
    return LocalTimeList


def __getattr__(name: str):
    # the class needs nbgrader at import; kefu.classroom is imported by the CLI, so build it on first use
    if name == "LocalTimeList":
        cls = _make_local_time_list()
        globals()["LocalTimeList"] = cls
        return cls
    raise AttributeError(name)

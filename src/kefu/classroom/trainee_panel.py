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
  the trainee's own outputs (tracebacks, the exams' Chinese ⚠ messages) pass unchanged. After
  nbgrader's own validation it also lists the written answers left empty (:func:`unanswered_written`):
  nbgrader counts a manually graded markdown answer as answered as soon as it differs from its released
  checksum, so a cell whose stub was deleted (heading kept, only blanks, or nothing left) passed.
* :data:`DIALOG_CSS` (JupyterLab's ``custom.css``, ``LabApp.custom_css``) puts Chinese headings over the
  dialog's fixed English labels, keyed by the classes the labextension sets (``validation-failed``, …),
  and (:func:`panel_css`) over the Assignments panel's headings, buttons and empty-list texts, keyed by
  the ids of the labextension's panel template and JupyterLab's ``data-command``/``data-id`` attributes.
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
import re

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
    "refused-title": "作业没有提交",   # the "Invalid Submission" dialog's title
    "refused-lead": "原因:",           # its "Assignment not submitted:"
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
        # nbgrader's "Invalid Submission" dialog (a refused submit: its body is the server's reply, Chinese
        # from kefu.classroom.assignment_list, under a fixed English lead "Assignment not submitted:")
        ".jp-Dialog-content:has(#submission-message) .jp-Dialog-header { font-size: 0; }",
        ".jp-Dialog-content:has(#submission-message) .jp-Dialog-header::before"
        f" {{ font-size: calc(var(--jp-ui-font-size1, 13px) * 1.44); content: {_css_text(h['refused-title'])}; }}",
        "#submission-message > p { font-size: 0; }",
        f"#submission-message > p::before {{ font-size: 14px; content: {_css_text(h['refused-lead'])}; }}",
        ".jp-Dialog-content:has(#validation-message) .jp-Dialog-header { font-size: 0; }",
        ".jp-Dialog-content:has(#validation-message) .jp-Dialog-header::before"
        f" {{ font-size: calc(var(--jp-ui-font-size1, 13px) * 1.44); content: {_css_text(h['title'])}; }}",
    ]
    return "\n".join(lines) + "\n"


#: the Assignments panel (nbgrader's ``Nbgrader → Assignment List``): fixed English in its labextension
PANEL = {
    "menu": "作业列表",          # the Nbgrader menu's "Assignment List"
    "tab": "作业",               # the panel's tab title "Assignments"
    "course": "课程:",          # "Released, downloaded, and submitted assignments for course:"
    "refresh": "刷新",           # next to the refresh icon (its tooltip is a title attribute: CSS cannot reach it)
    "loading": "正在加载,请稍候…",
    "released": "已发布的作业",
    "fetched": "已下载的作业",
    "submitted": "已提交的作业",
    "released-empty": "目前没有可以下载的作业。",
    "fetched-empty": "还没有已下载的作业。",
    "submitted-empty": "还没有已提交的作业。",
    "fetch": "下载",
    "fetch-busy": "正在下载…",
    "submit": "提交",
    "submit-busy": "正在提交…",
    "feedback": "获取批改反馈",
    "feedback-busy": "正在获取反馈…",
    "validate": "验证",
    "validate-busy": "正在验证…",
    "view-feedback": "(查看反馈)",
    "feedback-waiting": "(有批改反馈,请点“获取批改反馈”)",
    # what nbgrader writes in place of a button when its request fails ("Error fetching assignment." …)
    "fetch-error": "下载没有成功。请点“刷新”再试;还不行,请告诉培训老师。",
    "submit-error": "提交没有成功。请点“刷新”再试;还不行,请告诉培训老师。",
    "feedback-error": "获取反馈没有成功。请点“刷新”再试;还不行,请告诉培训老师。",
    "validate-error": "验证没有完成。请再点一次;还不行,请告诉培训老师。",
}

#: where those labels are, by the ids and classes nbgrader's labextension (0.9) writes into the panel
#: (its template's ids, the list rows it builds) and JupyterLab's menu/tab attributes for the panel's
#: command and widget id. Assignment names, course ids and times are data and stay as they are.
PANEL_SELECTORS = {
    "menu": '.lm-Menu-item[data-command="nbgrader:open-assignment-list"] > .lm-Menu-itemLabel',
    "tab": '.lm-TabBar-tab[data-id="nbgrader-assignment-list"] > .lm-TabBar-tabLabel',
    "course": "#assignments_list_info",
    "released": ".panel:has(> .panel-body > #released_assignments_list) > .panel-heading",
    "fetched": ".panel:has(> .panel-body > #fetched_assignments_list) > .panel-heading",
    "submitted": ".panel:has(> .panel-body > #submitted_assignments_list) > .panel-heading",
    "released-empty": "#released_assignments_list_placeholder > div",
    "fetched-empty": "#fetched_assignments_list_placeholder > div",
    "submitted-empty": "#submitted_assignments_list_placeholder > div",
    "loading": "#assignments .list_loading > div",
    "fetch": "#released_assignments_list > .list_item > .col-md-12 > .item_status > button",
    "submit": "#fetched_assignments_list > .list_item > .col-md-12 > .item_status > button",
    "feedback": "#submitted_assignments_list > .list_item > .col-md-12 > .item_status > button",
    "validate": "#fetched_assignments_list .nested_list_item > .col-md-12 > .item_status > button",
    "view-feedback": "#submitted_assignments_list .nested_list_item > .col-md-12 > .item_name > a",
    "feedback-waiting": "#submitted_assignments_list .nested_list_item > .col-md-12 > .item_name > span:not(:empty)",
    # a failed request empties the button's cell and writes an English error there: a cell without its button
    # (submitted notebooks' cells never have one, so only the rows and lists that always do are matched)
    "fetch-error": "#released_assignments_list > .list_item > .col-md-12 > .item_status:not(:has(> button))",
    "submit-error": "#fetched_assignments_list > .list_item > .col-md-12 > .item_status:not(:has(> button))",
    "feedback-error": "#submitted_assignments_list > .list_item > .col-md-12 > .item_status:not(:has(> button))",
    "validate-error": "#fetched_assignments_list .nested_list_item > .col-md-12 > .item_status:not(:has(> button))",
}

#: the font size each label had in English (nbgrader's styles: 14px text, 12px buttons; JupyterLab's UI font)
_PANEL_SIZES = {"menu": "var(--jp-ui-font-size1, 13px)", "tab": "var(--jp-ui-font-size1, 13px)",
                "fetch": "12px", "submit": "12px", "feedback": "12px", "validate": "12px",
                "view-feedback": "14px", "feedback-waiting": "14px"}


def panel_css() -> str:
    """JupyterLab ``custom.css``: Chinese over the Assignments panel's fixed English (the English stays in
    the page with font size 0, so buttons keep their role, their click handler and nbgrader's state changes)."""
    lines = [
        "/* kefu-kit (kefu.classroom.trainee_panel): nbgrader's Assignments panel in Chinese (fixed English in",
        "   its labextension, kept in the page with font size 0). Names, course ids and times are not touched. */",
    ]
    for key, selector in PANEL_SELECTORS.items():
        size = _PANEL_SIZES.get(key, "14px")
        # inline after the time: a small gap; elsewhere the label is alone in its line, and aligning it to the
        # line's top keeps the line as high as the English one was (the 0-size text's baseline adds none)
        inline = key in ("view-feedback", "feedback-waiting", "course")
        gap = "" if key == "course" else " margin-left: 0.3em;" if inline else " vertical-align: top;"
        # an inline element of font size 0 has a box 0 px high (Playwright and people see nothing to click):
        # inline-block takes the height of the Chinese label
        lines.append(f"{selector} {{ font-size: 0;{' display: inline-block;' if inline else ''} }}")
        lines.append(f"{selector}::before {{ font-size: {size};{gap} content: {_css_text(PANEL[key])}; }}")
        if f"{key}-busy" in PANEL:  # nbgrader disables the button and writes "Fetching..." etc. while it works
            lines.append(f"{selector}[disabled]::before {{ content: {_css_text(PANEL[key + '-busy'])}; }}")
    lines.append(f"#refresh_assignments_list::after {{ margin-left: 0.3em; content: {_css_text(PANEL['refresh'])}; }}")
    return "\n".join(lines) + "\n"


#: the trainee's whole ``custom.css`` (written by ``kefu.classroom.trainee.write_trainee_css``)
DIALOG_CSS = dialog_css() + panel_css()


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


# ----------------------------------------------------------------------------- empty written answers

#: the line an exam's released written answer keeps above its text stub (kefu.exams.theory), ASCII or
#: full-width brackets and colon
WRITTEN_HEADING = re.compile(r"\*\*\s*第\s*(\d+)\s*题\s*[(\uff08]\s*简答\s*[)\uff09]\s*作答\s*[:\uff1a]?\s*\*\*")
#: the question's own text cell just above it (``**7.** …``, locked): names it when the heading is gone
QUESTION_NUMBER = re.compile(r"\s*\*\*(\d+)\.\*\*")
#: what nbgrader leaves in a released written answer when nothing else is configured
NBGRADER_TEXT_STUB = "YOUR ANSWER HERE"


def written_unanswered(number: int | None, grade_id: str) -> str:
    """The failure text of an empty written answer: names the question (its number as the release shows it)."""
    what = f"第 {number} 题(简答)" if number is not None else f"这道简答题(单元格 {grade_id})"
    where = (f"在“第 {number} 题(简答)作答:”这一行下面" if number is not None else "在这个格子里")
    return (f"⚠ {what}还没有作答:格子里没有写答案(只有题头、提示语或空白)。"
            f"请{where}写上您的回答,保存后再点“验证”。(验证只检查是否作答,不判断对错。)")


def _blank_written(source: str, stubs: list[str]) -> bool:
    """True when ``source`` holds nothing but the heading, the released stub text and blanks or marks."""
    text = re.sub(r"\s+", "", WRITTEN_HEADING.sub("", source))
    for stub in stubs:
        stub = re.sub(r"\s+", "", stub)
        if stub:
            text = text.replace(stub, "")
    return not any(ch.isalnum() for ch in text)


def unanswered_written(nb, stubs: list[str]) -> list[tuple[int, dict]]:
    """(cell index, nbgrader failure entry) for each manually graded written answer (markdown, solution
    and grade) that changed since its release but holds no answer: only its heading, the released stub
    text, blanks or punctuation. An untouched one is nbgrader's own failure already. Only the trainee's
    notebook is read (its sources and nbgrader metadata, the release's checksum): no key, no instructor file,
    and nothing about whether an answer is right."""
    from nbconvert.filters import ansi2html
    from nbgrader import utils

    found = []
    for i, cell in enumerate(nb.cells):
        md = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "markdown" or not (utils.is_solution(cell) and utils.is_grade(cell)):
            continue
        if "checksum" in md and md["checksum"] == utils.compute_checksum(cell):
            continue  # as released: nbgrader says "You did not provide a response." itself
        if not _blank_written(cell.source, stubs):
            continue
        heading = WRITTEN_HEADING.search(cell.source)
        number = int(heading.group(1)) if heading else None
        if number is None and i > 0 and nb.cells[i - 1].cell_type == "markdown":
            above = QUESTION_NUMBER.match(nb.cells[i - 1].source)
            number = int(above.group(1)) if above else None
        text = written_unanswered(number, str(md.get("grade_id", "")))
        found.append((i, {"source": cell.source.strip(), "error": ansi2html(text), "raw_error": text}))
    return found


def with_unanswered_written(retvalue: dict, nb, stubs: list[str]) -> dict:
    """nbgrader's successful Validate reply with the empty written answers added to ``failed``, in
    notebook order. Left as it is when nbgrader reports changed or retyped cells (it shows those alone)."""
    value = retvalue.get("value")
    if not retvalue.get("success") or not isinstance(value, dict) or set(value) - {"failed"}:
        return retvalue
    ours = unanswered_written(nb, stubs)
    if not ours:
        return retvalue
    from nbgrader import utils

    failed = list(value.get("failed", []))
    # nbgrader's failures are grade cells in notebook order, each with its cell's stripped source
    places, j = [], 0
    for i, cell in enumerate(nb.cells):
        if j < len(failed) and utils.is_grade(cell) and cell.source.strip() == failed[j].get("source"):
            places.append(i)
            j += 1
    places += [len(nb.cells)] * (len(failed) - j)
    merged = sorted([*zip(places, failed), *ours], key=lambda pair: pair[0])
    return {**retvalue, "value": {**value, "failed": [entry for _, entry in merged]}}


def _handler_class():
    from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler

    class ChineseValidateHandler(ValidateAssignmentHandler):
        """nbgrader's Validate handler (its path check and its Validator) with the reply's fixed English
        in Chinese and the configuration read from Jupyter's configuration path only."""

        def load_config(self):
            # nbgrader's loader also reads nbgrader_config.py from the current folder: the trainee's home
            from .assignment_list import trusted_nbgrader_config

            return trusted_nbgrader_config()

        def validate_notebook(self, path):
            retvalue = super().validate_notebook(path)  # nbgrader's path check, config and Validator
            if retvalue.get("success"):
                retvalue = with_unanswered_written(retvalue, self._notebook(path), self._stubs())
            return chinese_result(retvalue)

        def _notebook(self, path):
            import nbformat
            from pathlib import Path

            return nbformat.read(str((Path(self.root_dir).resolve() / path).resolve()), as_version=4)

        def _stubs(self) -> list[str]:
            """The released text stubs: the kit's, nbgrader's default, and one configured for the trainee."""
            from kefu.authoring.cells import TEXT_STUB

            stubs = [TEXT_STUB, NBGRADER_TEXT_STUB]
            configured = self.load_config().get("ClearSolutions", {}).get("text_stub")
            if isinstance(configured, str):
                stubs.append(configured)
            return stubs

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

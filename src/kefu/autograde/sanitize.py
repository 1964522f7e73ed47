"""Safe outputs: nothing a trainee's kernel (or notebook) produced reaches a grader's browser as active content.

:class:`SanitizeOutputs` is an nbconvert preprocessor for the autograde pipeline (after ``Execute`` and
``TrustedScore``) and for ``GenerateFeedback``. Every output keeps only these MIME types:
``text/plain``, ``text/html`` (cleaned with bleach: plain tags such as tables, lists, headings and
images from ``data:`` URLs; no ``<script>``, ``<iframe>``, ``<object>``, ``<style>``, event-handler
attributes, ``style`` or ``javascript:`` URLs), and raster images (PNG, JPEG, GIF). Everything else —
``application/javascript``, widget views, SVG, Markdown/LaTeX (both rendered as HTML) and unknown
types — is dropped, and so is an HTML output over 300,000 characters or an image over 8 MB of base64; an output left with nothing shows a short Chinese note. Streams and errors are
text and stay. Markdown and raw cells are cleaned the same way (the trainee writes them; Markdown
renders raw HTML), image attachments other than raster images are removed, and the notebook's
widget state (which makes nbconvert load widget JavaScript) is dropped.
"""
from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

KEEP_MIME = ("text/plain", "text/html", "image/png", "image/jpeg", "image/gif")
RASTER = ("image/png", "image/jpeg", "image/gif")
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul",
}
ATTRS = {
    "*": ["class", "title", "align"],
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "col": ["span"],
    "colgroup": ["span"],
    "ol": ["start"],
}
REMOVED_NOTE = "(此输出含有不安全或不支持的内容,已移除)"
TOO_BIG_NOTE = "(此输出过大,已移除)"
MAX_HTML = 300_000         # characters of one HTML output (cleaning a flood would stall the grader)
MAX_IMAGE = 8_000_000      # base64 characters of one image
# content of these elements is dropped whole, not kept as text
_DROP_WHOLE = re.compile(r"<(script|style|iframe|object|embed|template|noscript)\b.*?(</\1\s*>|$)", re.I | re.S)
_SCHEME = re.compile(r"(java|vb)script\s*:", re.I)


def _img_src(tag: str, name: str, value: str) -> bool:
    if tag == "img" and name == "src":
        return bool(re.match(r"data:image/(png|jpe?g|gif);base64,", value.strip(), re.I))
    if tag == "a" and name == "href":
        return bool(re.match(r"(https?:|mailto:|#)", value.strip(), re.I))
    return name in ATTRS.get(tag, []) or name in ATTRS["*"]


def clean_html(text: str) -> str:
    """``text`` with only inert HTML left."""
    import bleach

    text = _DROP_WHOLE.sub("", text)
    return bleach.clean(text, tags=TAGS, attributes=_img_src, protocols=["http", "https", "mailto", "data"],
                        strip=True, strip_comments=True)


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def clean_output(out: Any) -> Any:
    kind = out.get("output_type")
    if kind not in ("display_data", "execute_result"):
        return out  # stream / error: text, escaped when rendered
    data = out.get("data") or {}
    kept: dict[str, Any] = {}
    too_big = False
    for mime in KEEP_MIME:
        if mime not in data:
            continue
        value = _joined(data[mime])
        if len(value) > (MAX_HTML if mime == "text/html" else MAX_IMAGE):
            too_big = True
            continue
        kept[mime] = clean_html(value) if mime == "text/html" else value
    if "text/plain" not in kept:
        kept["text/plain"] = (TOO_BIG_NOTE if too_big else REMOVED_NOTE) if not kept else ""
    elif len(kept["text/plain"]) > MAX_HTML:
        kept["text/plain"] = kept["text/plain"][:MAX_HTML] + "\n" + TOO_BIG_NOTE
    out["data"] = kept
    meta = out.get("metadata") or {}
    safe_meta = {}
    for mime in RASTER:
        m = meta.get(mime)
        if mime in kept and isinstance(m, dict):
            safe_meta[mime] = {k: int(v) for k, v in m.items()
                               if k in ("width", "height") and isinstance(v, (int, float)) and not isinstance(v, bool)}
    out["metadata"] = safe_meta
    return out


class SanitizeOutputs(Preprocessor):  # type: ignore[misc]
    """Strip active content from outputs, Markdown/raw cells and notebook metadata (see module doc)."""

    enabled = Bool(True, help="on by default (nbconvert's preprocessors are off unless enabled)").tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        if cell.cell_type == "code":
            cell.outputs = [clean_output(o) for o in cell.get("outputs", [])]
        elif cell.cell_type in ("markdown", "raw"):
            if "<" in cell.source:
                cell.source = clean_html(cell.source)
            # a Markdown link [text](javascript:...) is not HTML: disarm the scheme itself
            cell.source = _SCHEME.sub("blocked-script:", cell.source)
            if cell.cell_type == "raw":
                cell.metadata.pop("format", None)
                cell.metadata.pop("raw_mimetype", None)
        attachments = cell.get("attachments")
        if attachments:
            for name in list(attachments):
                bundle = attachments[name]
                for mime in list(bundle):
                    if mime not in RASTER:
                        del bundle[mime]
                if not bundle:
                    del attachments[name]
        return cell, resources

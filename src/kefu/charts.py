"""Charts in Chinese without boxes: every chart in the kit calls :func:`setup` first.

The CJK font comes from the ``mplfonts`` package, which ships Noto Sans CJK SC as a plain
font file (``mplfonts/fonts/NotoSansCJKsc-Regular.otf``). We register that file with
matplotlib's font manager (no system font, no cache rebuild) and put it first in the
sans-serif list. matplotlib is imported inside functions so the CLI stays fast.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

FONT_FILE = "NotoSansCJKsc-Regular.otf"
_registered: str | None = None


def font_path() -> Path:
    """The Noto Sans CJK SC file shipped by mplfonts."""
    from mplfonts.conf import FONT_DIR

    path = Path(FONT_DIR) / FONT_FILE
    if not path.is_file():  # pragma: no cover - broken install
        raise FileNotFoundError(f"找不到中文字体文件 {path}:请重新安装 mplfonts(pip install mplfonts)")
    return path


def setup() -> str:
    """Register the CJK font with matplotlib and make it the default. Returns its family name.

    Safe to call many times; cheap after the first call.
    """
    global _registered
    import matplotlib
    from matplotlib import font_manager

    path = font_path()
    if _registered is None:
        fm = font_manager.fontManager
        fm.addfont(str(path))
        # a machine with Debian's fonts-noto-cjk (Chromium's packages bring it) has a font of the same family
        # name; findfont takes the first of equally good matches, so ours goes first and charts look the same
        # on every machine
        ours = [e for e in fm.ttflist if Path(e.fname) == path]
        fm.ttflist[:] = ours + [e for e in fm.ttflist if Path(e.fname) != path]
        cached = getattr(fm, "_findfont_cached", None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()
        _registered = font_manager.FontProperties(fname=str(path)).get_name()
    family = _registered
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rest = [f for f in rc["font.sans-serif"] if f != family]
    rc["font.sans-serif"] = [family, *rest]
    rc["axes.unicode_minus"] = False  # the CJK font has no U+2212 glyph
    return family


def resolved_font_file(text: Any = None) -> Path:
    """The font file matplotlib actually uses for ``text`` (a Text artist) or the default font."""
    from matplotlib import font_manager

    if text is not None:
        prop = text.get_fontproperties()
    else:
        prop = font_manager.FontProperties()
    return Path(font_manager.findfont(prop, fallback_to_default=False))


def is_cjk_font(path: str | Path) -> bool:
    """True when the font file has glyphs for common Chinese characters."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(path))
    charmap = font.get_charmap()
    return all(ord(ch) in charmap for ch in "客服质检满意度")


def new_figure(width: float = 6.0, height: float = 3.2):
    """A matplotlib figure and axes with the CJK font set up (for drills and reports)."""
    setup()
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return fig, ax


def bar_chart(labels: list[str], values: list[float], *, title: str = "", ylabel: str = "",
              limit: float | None = None, line: float | None = None, line_label: str = ""):
    """A bar chart with Chinese labels; ``line`` draws a dashed reference line (e.g. a pass mark)."""
    fig, ax = new_figure()
    bars = ax.bar(labels, values, color="#4c78a8")
    for bar, value in zip(bars, values):
        ax.annotate(f"{value:.1f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=9)
    if limit is not None:
        ax.set_ylim(0, limit)
    if line is not None:
        ax.axhline(line, color="#e45756", linestyle="--", linewidth=1, label=line_label or None)
        if line_label:
            ax.legend(loc="lower right")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig


def line_chart(xs: list[float], ys: list[float], *, title: str = "", xlabel: str = "", ylabel: str = "",
               target: float | None = None, target_label: str = "", mark_x: float | None = None,
               mark_label: str = ""):
    """A line chart with Chinese labels, an optional horizontal target and a vertical marker."""
    fig, ax = new_figure()
    ax.plot(xs, ys, marker="o", color="#4c78a8")
    if target is not None:
        ax.axhline(target, color="#e45756", linestyle="--", linewidth=1, label=target_label or None)
    if mark_x is not None:
        ax.axvline(mark_x, color="#54a24b", linestyle=":", linewidth=1.5, label=mark_label or None)
    if target_label or mark_label:
        ax.legend(loc="lower right")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig


def to_png(fig, *, close: bool = True) -> bytes:
    """PNG bytes of a figure (for ipywidgets.Image); closes the figure unless told not to."""
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    if close:
        plt.close(fig)
    return buf.getvalue()

"""Charts render Chinese text with a CJK font (no tofu boxes)."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

from kefu import charts  # noqa: E402


def test_font_comes_from_mplfonts():
    path = charts.font_path()
    assert path.is_file()
    assert "mplfonts" in str(path)
    assert charts.is_cjk_font(path)


def test_chart_with_chinese_labels_resolves_cjk_font(tmp_path):
    family = charts.setup()
    assert "CJK" in family
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would be a warning
        fig = charts.bar_chart(["通话质量", "客户满意度", "工作效率"], [80.0, 70.0, 90.0],
                               title="绩效维度得分", ylabel="得分", limit=100, line=80, line_label="合格线")
        ax = fig.axes[0]
        out = tmp_path / "chart.png"
        fig.savefig(out)
    assert out.stat().st_size > 1000
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    title_font = charts.resolved_font_file(ax.title)
    label_font = charts.resolved_font_file(ax.get_xticklabels()[0])
    for used in (title_font, label_font):
        assert charts.is_cjk_font(used), used
    assert title_font == charts.font_path()


def test_non_cjk_font_is_detected():
    from matplotlib import font_manager

    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    assert not charts.is_cjk_font(dejavu)

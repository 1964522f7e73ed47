"""KPI explorer: sliders for the five performance dimensions → live weighted score, grade, chart."""
from __future__ import annotations

import ipywidgets as widgets

from . import sources
from .base import Drill, feedback_html, rng


def kpi_chart(names: list[str], values: list[float], weights: list[float], score: float, grade: str):
    from kefu import charts

    labels = [f"{n}\n(权重 {w:g}%)" for n, w in zip(names, weights)]
    return charts.bar_chart(labels, values, title=f"五项维度得分 · 加权得分 {score:.1f}({grade})",
                            ylabel="维度得分(0–100)", limit=105, line=score, line_label="加权得分")


class KPIExplorer(Drill):
    """Move the sliders and watch the weighted score.

    ``quiz=True``: the sliders start at random values and the live result is hidden until the
    trainee types their own weighted score into ``answer`` and presses 检查.
    """

    title = "绩效 KPI 计算器"

    def __init__(self, *, quiz: bool = False, seed: int | None = 0, chart: bool = True) -> None:
        self.quiz = quiz
        self.show_chart = chart
        self.dims = sources.kpi_dimensions()
        super().__init__(
            title="绩效加权得分小测验" if quiz else None,
            instructions=("不看答案,按权重算出加权得分,填进下面的框再点“检查”。" if quiz else
                          "拖动滑块,看每个维度的得分如何按权重影响总分和等级。"),
        )
        r = rng(seed)
        self.sliders: dict[str, widgets.IntSlider] = {}
        for dim_id, name, weight in self.dims:
            value = r.randrange(50, 101) if quiz else 80
            s = widgets.IntSlider(value=value, min=0, max=100, step=1, continuous_update=False,
                                  description=f"{name}({weight:g}%)",
                                  style={"description_width": "170px"},
                                  layout=widgets.Layout(width="480px"))
            s.observe(lambda _c: self.update(), names="value")
            self.sliders[dim_id] = s
        self.answer = widgets.FloatText(description="你算的得分", value=0.0,
                                        style={"description_width": "90px"})
        self.result = widgets.HTML()
        # hidden until it has a picture: an empty Image widget shows a broken-image icon
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="640px", display="none"))
        self.revealed = not quiz
        self.body = [*self.sliders.values(), *( [self.answer] if quiz else []), self.result, self.chart]
        self.update()

    def values(self) -> dict[str, float]:
        return {k: float(s.value) for k, s in self.sliders.items()}

    def compute(self) -> tuple[float, str]:
        from kefu.kpi import weighted_score

        return weighted_score(self.values())

    def working(self) -> str:
        parts = [f"{self.sliders[i].value}×{w:g}%" for i, _n, w in self.dims]
        return " + ".join(parts)

    def update(self) -> None:
        if not self.revealed:
            self.result.value = feedback_html(None, "结果先保密:算好后点“检查”。")
            self.chart.value = b""
            self.chart.layout.display = "none"
            return
        score, grade = self.compute()
        grades = "、".join(f"{label}({name})≥{m:g}" for label, name, m in sources.kpi_grades())
        self.result.value = feedback_html(
            None, f"加权得分 {score:.1f} 分,等级 {grade}",
            [f"计算:{self.working()} = {score:.1f}", f"等级线:{grades}",
             f"权重来源:{sources.kpi_source()}"])
        if self.show_chart:
            self.draw()

    def draw(self) -> None:
        from kefu.charts import to_png

        score, grade = self.compute()
        names = [n for _i, n, _w in self.dims]
        weights = [w for _i, _n, w in self.dims]
        fig = kpi_chart(names, [float(s.value) for s in self.sliders.values()], weights, score, grade)
        self.chart.value = to_png(fig)
        self.chart.layout.display = ""

    def check(self) -> bool:
        score, grade = self.compute()
        if not self.quiz:
            self.revealed = True
            self.update()
            return self._say(True, f"当前加权得分 {score:.1f},等级 {grade}。",
                             ["权重越大的维度,提高 1 分带来的总分提升越多:"
                              + ",".join(f"{n} +1 分 → 总分 +{w / 100:g}" for _i, n, w in self.dims)])
        guess = float(self.answer.value)
        self.revealed = True
        self.update()
        why = [f"正确算法:每个维度得分 × 权重再相加 = {self.working()} = {score:.1f}",
               f"对应等级:{grade}"]
        from kefu.kpi import grade as grade_of

        # close enough only when rounding cannot move the result into another grade (69.7 is B-, 70 is B)
        if abs(guess - score) <= 0.5 and grade_of(guess) == grade:
            return self._say(True, f"算对了!{guess:g} ≈ {score:.1f}", why)
        if abs(guess - score) <= 0.5:
            return self._say(False, f"很接近,但 {guess:g} 和 {score:.1f} 落在不同的等级({grade_of(guess)} 和 {grade}):"
                             "请保留一位小数,不要四舍五入到整数。", why)
        if abs(guess - sum(self.values().values()) / len(self.dims)) <= 0.5:
            why.insert(0, "你算的是五项的简单平均;绩效要按权重加权,通话质量和满意度占比最大。")
        return self._say(False, f"不对:你填的是 {guess:g},正确是 {score:.1f}", why)

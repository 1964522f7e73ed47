"""Erlang C staffing calculator: how many agents does a queue need? With a chart of service level
against the number of agents."""
from __future__ import annotations

import ipywidgets as widgets

from . import sources
from .base import Drill, feedback_html


def service_level_chart(points: list[tuple[int, float]], goal: float, needed: int, threshold: float):
    from kefu import charts

    xs = [n for n, _ in points]
    ys = [sl * 100 for _, sl in points]
    fig = charts.line_chart(xs, ys, title="坐席人数与服务水平", xlabel="在线坐席人数",
                            ylabel=f"{threshold:g} 秒内接起的比例(%)", target=goal * 100,
                            target_label=f"目标 {goal:.0%}", mark_x=needed,
                            mark_label=f"至少 {needed} 人")
    fig.axes[0].set_ylim(0, 105)
    return fig


class ErlangCalculator(Drill):
    """Enter the call volume and handling time; guess the agents needed, then check."""

    title = "排班人数计算器(Erlang C)"

    def __init__(self, *, calls: int = 120, period_minutes: int = 30, aht: int = 180,
                 chart: bool = True) -> None:
        goal, shrinkage, threshold = sources.staffing_defaults()
        super().__init__(instructions=(
            "输入一个时段的来电量和平均处理时长,先猜猜至少要几名坐席在线,再点“检查”。"
            "图中曲线是不同人数下的服务水平。"))
        self.show_chart = chart
        st = {"description_width": "150px"}
        lay = widgets.Layout(width="320px")
        self.calls = widgets.BoundedIntText(value=calls, min=1, max=100000, description="来电量(通)",
                                            style=st, layout=lay)
        self.period = widgets.Dropdown(options=[("15 分钟", 15), ("30 分钟", 30), ("60 分钟", 60)],
                                       value=period_minutes, description="时段长度", style=st, layout=lay)
        self.aht = widgets.BoundedIntText(value=aht, min=1, max=7200, description="平均处理时长(秒)",
                                          style=st, layout=lay)
        self.threshold = widgets.BoundedIntText(value=int(threshold), min=0, max=600,
                                                description="接起时限(秒)", style=st, layout=lay)
        self.goal = widgets.BoundedIntText(value=round(goal * 100), min=1, max=99,
                                           description="目标服务水平(%)", style=st, layout=lay)
        self.shrinkage = widgets.BoundedIntText(value=round(shrinkage * 100), min=0, max=90,
                                                description="缺勤休息占用(%)", style=st, layout=lay)
        self.guess = widgets.BoundedIntText(value=1, min=1, max=100000, description="你猜要几人在线",
                                            style=st, layout=lay)
        self.result = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="640px", display="none"))
        for w in (self.calls, self.period, self.aht, self.threshold, self.goal, self.shrinkage):
            w.observe(lambda _c: self.refresh(), names="value")
        self.body = [self.calls, self.period, self.aht, self.threshold, self.goal, self.shrinkage,
                     self.guess, self.result, self.chart]
        self.revealed = False
        self.refresh()

    def compute(self, agents: int | None = None) -> dict:
        from kefu.erlang import staffing

        kwargs = dict(calls=self.calls.value, period=self.period.value * 60, aht=self.aht.value,
                      target=self.threshold.value, shrinkage=self.shrinkage.value / 100)
        if agents is None:
            return staffing(service_level=self.goal.value / 100, **kwargs)
        return staffing(agents=agents, **kwargs)

    def refresh(self) -> None:
        self.revealed = False
        self.feedback.value = ""
        try:
            res = self.compute()
        except ValueError as exc:
            self.result.value = feedback_html(False, f"输入有误:{exc}")
            return
        self.result.value = feedback_html(
            None, f"话务量 = 来电量 × 平均处理时长 ÷ 时段秒数 = {res['traffic']:.2f} 爱尔兰",
            ["意思是:平均每一刻同时有这么多通电话在处理,在线坐席必须多于这个数,队伍才不会越排越长。"])
        self.chart.value = b""
        self.chart.layout.display = "none"  # an empty Image widget shows a broken-image icon

    def draw(self, needed: int) -> None:
        from kefu.charts import to_png

        res = self.compute()
        low = max(1, int(res["traffic"]))
        points = [(n, self.compute(agents=n)["service_level"]) for n in range(low, needed + 4)]
        fig = service_level_chart(points, self.goal.value / 100, needed, self.threshold.value)
        self.chart.value = to_png(fig)
        self.chart.layout.display = ""

    def check(self) -> bool:
        try:
            res = self.compute()
        except ValueError as exc:
            return self._say(False, f"输入有误:{exc}")
        needed = res["agents"]
        guess = int(self.guess.value)
        mine = self.compute(agents=guess)
        goal = self.goal.value / 100
        asa = "无穷大(队伍越排越长)" if mine["asa"] is None else f"{mine['asa']:.0f} 秒"
        why = [
            f"话务量 {res['traffic']:.2f} 爱尔兰;{guess} 人在线时:{self.threshold.value} 秒内接起 "
            f"{mine['service_level']:.1%},平均等待 {asa},坐席占用率 {mine['occupancy']:.0%}。",
            f"达到目标 {goal:.0%} 至少需要 {needed} 人在线(服务水平 {res['service_level']:.1%})。",
            f"再算上 {self.shrinkage.value}% 的缺勤、培训和休息,排班表上要排 {res['scheduled_agents']} 人。",
        ]
        if self.show_chart:
            self.draw(needed)
        self.revealed = True
        if guess == needed:
            return self._say(True, f"正确:至少 {needed} 人在线。", why)
        if guess < needed:
            why.append("人数不够时,等待时间不是线性增加,而是急剧变长;少一个人,服务水平就可能掉很多。")
            return self._say(False, f"{guess} 人不够,至少要 {needed} 人。", why)
        why.append("人数超过需要时,服务水平提升有限,坐席会有较多空闲,成本上升。")
        return self._say(False, f"{guess} 人比需要的多,最少 {needed} 人就能达标。", why)

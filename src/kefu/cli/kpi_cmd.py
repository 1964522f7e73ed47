"""``kefu kpi CALLS`` — call-log KPIs, weighted performance score and grade per agent."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Optional

import typer

AGENT_KEYS = ["calls", "aht", "fcr", "csat", "qa", "conversion", "accuracy", "score", "grade"]
OVERALL_ONLY = ["asa", "abandonment_rate", "service_level"]
# short column headers so the table fits an 80-column terminal (full names: seeds/kpi.yml)
HEADERS = {"calls": "接通", "aht": "AHT秒", "fcr": "一次解决", "csat": "满意率", "qa": "质检",
           "conversion": "转化率", "accuracy": "准确率", "score": "得分", "grade": "等级"}


def _fmt(key: str, value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "seconds":
        return f"{value:.1f}"
    if unit == "score":
        return f"{value:.1f}"
    return str(value)


def _table(result: dict, threshold: float) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from kefu.seeds import load

    model = load("kpi.yml")
    units = {m.key: m.unit for m in model.metrics}
    table = Table(title="坐席绩效(按通话记录计算)", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("坐席", no_wrap=True)
    for key in AGENT_KEYS:
        table.add_column(HEADERS[key], justify="right", no_wrap=True)
    for agent, m in result["agents"].items():
        # an agent id is user text: Text() keeps "[/]" or "[bold]" literal instead of parsing it as markup
        table.add_row(Text(str(agent)), *[_fmt(k, m[k], units[k]) for k in AGENT_KEYS])
    o = result["overall"]
    table.add_row("全部", *[_fmt(k, o[k], units[k]) for k in AGENT_KEYS], style="bold")
    console = Console()
    console.print(table)
    for key in OVERALL_ONLY:
        label = model.metric(key).label
        if key == "service_level":
            label += f"({threshold:g} 秒内接起 ÷ 全部来电)"
        value = _fmt(key, o[key], units[key]) + (" 秒" if units[key] == "seconds" and o[key] is not None else "")
        console.print(f"{label}:{value}")
    legend = "、".join(f"{HEADERS[k]}={model.metric(k).label}" for k in AGENT_KEYS if HEADERS[k] != model.metric(k).label)
    console.print(f"列名:{legend}。")
    weights = "、".join(f"{d.name} {d.weight:g}%" for d in model.dimensions)
    console.print(f"绩效得分 = {weights} 加权;等级线见 seeds/kpi.yml。")


def kpi(
    calls: Path = typer.Argument(..., help="通话记录文件(.csv 或 .xlsx)", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出 {overall, agents}"),
    sl_threshold: Optional[float] = typer.Option(
        None, "--sl-threshold", help="服务水平门限(秒),默认取 seeds/kpi.yml(20 秒)"),
    lenient: bool = typer.Option(False, "--lenient", help="跳过有问题的行并报告跳过了几行"),
) -> None:
    """从通话记录计算 KPI:接通量、平均处理时长、一次解决率、满意率、质检均分、转化率、准确率,
    以及全体的平均应答速度、放弃率、服务水平,并给出每位坐席的绩效得分和等级。"""
    from kefu.kpi import CallLogError, compute, read_calls
    from kefu.seeds import load

    if sl_threshold is None:
        sl_threshold = load("kpi.yml").service_level_threshold.seconds
    if not math.isfinite(sl_threshold):
        typer.echo(f"参数错误:--sl-threshold 应为有限的数字(实际为 {sl_threshold})", err=True)
        raise typer.Exit(2)
    if sl_threshold < 0:
        typer.echo(f"参数错误:--sl-threshold 不能为负数(实际为 {sl_threshold:g})", err=True)
        raise typer.Exit(2)
    if not calls.exists():
        typer.echo(f"参数错误:找不到通话记录文件 {calls}", err=True)
        raise typer.Exit(2)
    if calls.is_dir():
        typer.echo(f"参数错误:{calls} 是一个文件夹,请给出通话记录文件(.csv 或 .xlsx)", err=True)
        raise typer.Exit(2)
    try:
        log = read_calls(calls, lenient=lenient)
        result = compute(log.frame, sl_threshold=sl_threshold)
    except CallLogError as exc:
        typer.echo(f"通话记录有问题,未计算:\n{exc}", err=True)
        raise typer.Exit(1) from None
    if log.skipped:
        typer.echo(f"注意:已跳过 {log.skipped} 行有问题的记录(--lenient),其余 {len(log.frame)} 行参与计算。",
                   err=True)
        for line in log.problems[:10]:
            typer.echo(f"  · {line}", err=True)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _table(result, sl_threshold)


def sample_calls(
    out: Path = typer.Argument(..., help="输出文件(.csv 或 .xlsx)", show_default=False),
    agents: int = typer.Option(8, "--agents", min=1, help="坐席人数"),
    days: int = typer.Option(5, "--days", min=1, help="天数"),
    seed: int = typer.Option(0, "--seed", help="随机种子(相同种子得到相同数据)"),
    start: str = typer.Option("2025-06-02", "--start", help="第一天的日期 YYYY-MM-DD"),
) -> None:
    """生成一份模拟通话记录(含上午、下午高峰和不同水平的坐席),供练习 kefu kpi 使用。"""
    from datetime import date

    from kefu.data import generate_calls, write_calls

    if out.suffix.lower() not in (".csv", ".xlsx"):
        typer.echo("参数错误:输出文件名应以 .csv 或 .xlsx 结尾", err=True)
        raise typer.Exit(2)
    try:
        date.fromisoformat(start)
    except ValueError:
        typer.echo(f"参数错误:--start 应为 YYYY-MM-DD 格式的日期(实际为 {start})", err=True)
        raise typer.Exit(2) from None
    from kefu.errors import check_output_file

    check_output_file(out, option="输出文件")
    frame = generate_calls(agents=agents, days=days, seed=seed, start=start)
    write_calls(frame, out)
    typer.echo(f"✓ 已生成 {len(frame)} 条通话记录({agents} 名坐席,{days} 天):{out}")


def register(app: typer.Typer) -> None:
    app.command("kpi")(kpi)
    app.command("sample-calls")(sample_calls)

"""``kefu erlang`` — Erlang C staffing calculator for team leaders."""
from __future__ import annotations

import json
import math
from typing import Optional

import typer


def _usage(msg: str) -> None:
    typer.echo(f"参数错误:{msg}", err=True)
    raise typer.Exit(2)


def erlang(
    calls: float = typer.Option(..., "--calls", help="统计时段内的来电量(通)"),
    period: float = typer.Option(..., "--period", help="统计时段长度(秒),例如半小时填 1800"),
    aht: float = typer.Option(..., "--aht", help="平均处理时长(秒)"),
    target: float = typer.Option(..., "--target", help="目标接起时间(秒),例如 20"),
    service_level: Optional[float] = typer.Option(
        None, "--service-level", help="目标服务水平(0–1),例如 0.8;计算所需坐席数"),
    agents: Optional[int] = typer.Option(None, "--agents", help="已有坐席数;计算这些坐席能达到的服务水平"),
    shrinkage: Optional[float] = typer.Option(
        None, "--shrinkage", help="缺勤、休息、培训等占用比例(0–1),默认取 seeds/kpi.yml"),
    max_occupancy: Optional[float] = typer.Option(
        None, "--max-occupancy", help="坐席占用率上限(0–1),可不填"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """Erlang C 排班估算:话务量、所需坐席、等待概率、服务水平、平均应答速度、占用率和排班人数。

    例:kefu erlang --calls 100 --period 1800 --aht 180 --target 20 --service-level 0.8 --shrinkage 0.3
    """
    from kefu.erlang import staffing

    if (service_level is None) == (agents is None):
        _usage("--service-level 与 --agents 必须二选一(只填其中一个)")
    if shrinkage is None:
        from kefu.seeds import load

        shrinkage = load("kpi.yml").staffing.shrinkage
    for name, value in (("--calls", calls), ("--period", period), ("--aht", aht), ("--target", target),
                        ("--service-level", service_level), ("--shrinkage", shrinkage),
                        ("--max-occupancy", max_occupancy)):
        if value is not None and not math.isfinite(value):
            _usage(f"{name} 应为有限的数字(实际为 {value})")
    for name, value in (("--calls", calls), ("--period", period), ("--aht", aht)):
        if not value > 0:
            _usage(f"{name} 必须大于 0(实际为 {value:g})")
    if target < 0:
        _usage(f"--target 不能为负数(实际为 {target:g})")
    if service_level is not None and not 0 < service_level < 1:
        _usage(f"--service-level 应在 0 和 1 之间,例如 0.8(实际为 {service_level:g})")
    if agents is not None and agents < 1:
        _usage(f"--agents 至少为 1(实际为 {agents})")
    if not 0 <= shrinkage < 1:
        _usage(f"--shrinkage 应在 0(含)和 1(不含)之间,例如 0.3(实际为 {shrinkage:g})")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        _usage(f"--max-occupancy 应在 0 和 1 之间(实际为 {max_occupancy:g})")
    try:
        r = staffing(calls, period, aht, target, service_level=service_level, agents=agents,
                     shrinkage=shrinkage, max_occupancy=max_occupancy)
    except ValueError as exc:
        typer.echo(f"无法计算:{exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(r, ensure_ascii=False, indent=2))
        return
    lines = [f"话务量:{r['traffic']:.2f} 爱尔兰(Erlang)  = {calls:g} 通 ÷ {period:g} 秒 × {aht:g} 秒"]
    if service_level is not None:
        lines.append(f"所需坐席:{r['agents']} 人(目标:{service_level:.0%} 的来电在 {target:g} 秒内接起)")
    else:
        lines.append(f"在线坐席:{r['agents']} 人")
    lines.append(f"等待概率:{r['wait_probability']:.1%}")
    lines.append(f"服务水平:{r['service_level']:.1%}({target:g} 秒内接起的比例)")
    lines.append("平均应答速度:" + ("无限长(坐席数不超过话务量,队列会越排越长)"
                                  if r["asa"] is None else f"{r['asa']:.1f} 秒"))
    lines.append(f"坐席占用率:{r['occupancy']:.1%}")
    lines.append(f"排班人数:{r['scheduled_agents']} 人(另有 {shrinkage:.0%} 的时间用于休息、培训、缺勤等)")
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.command("erlang")(erlang)

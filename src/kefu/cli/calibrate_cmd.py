"""``kefu calibrate FILE`` — grader agreement on a calibration sample (several graders, same calls)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer


def _print(report: dict) -> None:
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    pct = int(round(report["confidence"] * 100))
    t = Table(title=f"阅卷一致性(ICC(A,1),{pct}% 置信区间)", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("维度", "共同作答", "ICC", "置信区间", "判断", "分歧份数"):
        t.add_column(col, justify="left" if col in ("维度", "判断") else "right", no_wrap=True)
    for d in report["dimensions"]:
        icc = "—" if d["icc"] is None else f"{d['icc']:.2f}"
        ci = "—" if d["low"] is None else f"{d['low']:.2f} – {d['high']:.2f}"
        t.add_row(escape(d["dimension"]), str(d["items"]), icc, ci, d["level"] or escape(d["note"]),
                  str(len(d.get("disagreements", []))))
    console.print(t)
    for d in report["dimensions"]:
        if d["incomplete_items"]:
            console.print(f"注意:“{escape(d['dimension'])}”有 {len(d['incomplete_items'])} 份作答缺少部分阅卷人的分数,未计入。",
                          markup=True)
    total = sum(len(d.get("disagreements", [])) for d in report["dimensions"])
    console.print(f"\n分歧较大、需要复核的作答(最高分与最低分相差超过 {report['margin']:g} 分):共 {total} 处"
                  + (",每个维度列出相差最大的 3 处,完整清单用 --json 查看" if total else ""))
    for d in report["dimensions"]:
        for row in d.get("disagreements", [])[:3]:
            scores = ",".join(f"{escape(g)} {s:.1f}" for g, s in row["scores"].items())
            console.print(f"  · {escape(row['item'])} · {escape(d['dimension'])}:相差 {row['spread']:.1f} 分({scores})")
    console.print(f"\n阅卷人偏离(平均分比其他人高或低 {report['drift_threshold']:g} 分以上,且置信区间不含 0):")
    if not report["drifting_graders"]:
        console.print("  没有发现明显偏离的阅卷人。")
    for g in report["drifting_graders"]:
        console.print(f"  · {escape(g['grader'])} {g['direction']}:{escape('、'.join(g['dimensions']))}。建议与其他阅卷人一起复核上面列出的作答,对齐评分标准。")


def calibrate(
    sample: Optional[Path] = typer.Argument(None, help="校准样本(.csv 或 .xlsx):作答、阅卷人、维度、分数", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出完整报告"),
    example: Optional[Path] = typer.Option(None, "--example", help="写一份模拟样本(4 名阅卷人、20 通电话,其中一人偏松)看看格式"),
) -> None:
    """阅卷一致性校准:多名阅卷人给同一批实操通话或简答打分后,按维度计算一致性(ICC 及置信区间),
    列出分歧大的作答,并指出评分偏严或偏松的阅卷人。阈值见 seeds/calibration.yml。"""
    from kefu.calibrate import SampleError, calibrate as run

    if example is not None:
        from kefu.calibrate.report import rubric
        from kefu.calibrate.simulate import simulate, write_csv

        if example.suffix.lower() != ".csv":
            typer.echo("参数错误:--example 的文件名应以 .csv 结尾", err=True)
            raise typer.Exit(2)
        if example.exists():
            typer.echo(f"参数错误:{example} 已存在,不会覆盖,请换一个文件名", err=True)
            raise typer.Exit(2)
        if not example.parent.is_dir():
            typer.echo(f"参数错误:文件夹 {example.parent} 不存在", err=True)
            raise typer.Exit(2)
        names = list(rubric()[0].values())
        rows = simulate(names, {"阅卷A": 0.0, "阅卷B": 2.0, "阅卷C": -2.0, "阅卷D": 12.0}, 20, 10, 5, seed=7, dim_sd=5)
        write_csv(rows, example)
        typer.echo(f"✓ 已写出模拟校准样本 {example}({len(rows)} 行)。运行 kefu calibrate {example} 查看报告。")
        return
    if sample is None:
        typer.echo("参数错误:请给出校准样本文件,例如 kefu calibrate 校准.xlsx(或用 --example 生成一份示例)", err=True)
        raise typer.Exit(2)
    try:
        report = run(str(sample))
    except SampleError as exc:
        typer.echo(f"校准样本有问题,未计算:\n{exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report)


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate)

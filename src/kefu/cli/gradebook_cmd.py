"""``kefu gradebook`` — the cohort's results: exam policy statuses, chapters, exports and charts."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

FORMATS = ("table", "json", "csv", "xlsx")


def gradebook(
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    fmt: str = typer.Option("table", "--format", "-f", help="table | json | csv | xlsx"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="输出文件(xlsx 必填;其他格式默认打印)"),
    plots: Optional[Path] = typer.Option(None, "--plots", help="把图表(PNG)写入这个文件夹"),
) -> None:
    """成绩册:理论首考/补考、实操、章节进度与上岗结论;可导出 CSV/Excel 并画图。"""
    if fmt not in FORMATS:
        typer.echo(f"✗ --format 只能是 {' | '.join(FORMATS)},收到“{fmt}”", err=True)
        raise typer.Exit(2)
    if fmt == "xlsx" and output is None:
        typer.echo("✗ --format xlsx 需要 --output 文件名,例如 --output 成绩册.xlsx", err=True)
        raise typer.Exit(2)
    from kefu.cohort import CohortError
    from kefu.gradebook import export
    from kefu.gradebook.data import build_report

    try:
        report = build_report(course, answers=fmt == "xlsx")
    except CohortError as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(1) from None
    if fmt == "xlsx":
        export.write_xlsx(report, output)
        typer.echo(f"✓ 已写入 {output}")
    else:
        text = {"table": export.table, "json": export.to_json, "csv": export.to_csv}[fmt](report)
        if output:
            output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
            typer.echo(f"✓ 已写入 {output}")
        else:
            typer.echo(text)
    if plots:
        from kefu.gradebook.plots import write_plots

        for p in write_plots(report, plots):
            typer.echo(f"✓ 图表 {p}")


def register(app: typer.Typer) -> None:
    app.command("gradebook")(gradebook)

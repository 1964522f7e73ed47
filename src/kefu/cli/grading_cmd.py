"""``kefu grading-guide`` (the grader's guide) and ``kefu feedback-status`` (stale feedback)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def _fail(msg: str, code: int = 1) -> None:
    typer.echo(f"✗ {msg}", err=True)
    raise typer.Exit(code)


def grading_guide(
    assignment: str = typer.Argument(..., help="作业编号,例如 practical-exam、theory-exam"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="输出的 HTML 文件(默认 批改指南-作业编号.html)"),
    course: Optional[Path] = typer.Option(None, "--course", "-c", help="培训班文件夹(用它的答案文件夹;不写到学员能拿到的地方)"),
    student: Optional[str] = typer.Option(None, "--student", "-s", help="学员工号:附上该学员目前的得分(如系统操作合计)"),
) -> None:
    """生成阅卷用的批改指南(评分要点、参考答案、分档、常见失分项),在 formgrader 旁边打开。仅供阅卷人。"""
    from kefu.cohort.config import CohortError
    from kefu.grading.guide import GuideError, build, check_output, write

    try:
        check_output(output or Path(f"批改指南-{assignment}.html"), course.resolve() if course else None)
        guide = build(assignment, course=course.resolve() if course else None, student=student)
        out = output or Path(f"批改指南-{assignment}.html")
        path = write(guide, out, course=course.resolve() if course else None)
    except (GuideError, CohortError) as exc:
        _fail(str(exc))
    typer.echo(f"✓ 批改指南已写入 {path}({len(guide.items)} 个人工评分项)")


def feedback_status(
    assignment: str = typer.Argument(..., help="作业编号"),
    course: Path = typer.Option(Path("."), "--course", "-c", help="培训班文件夹(默认当前文件夹)"),
    regenerate: bool = typer.Option(False, "--regenerate", help="重新生成并发放过期的反馈"),
) -> None:
    """列出过期的反馈(生成反馈后阅卷人又改了分数或评语),可加 --regenerate 重新生成。"""
    from kefu.cohort.config import CohortError
    from kefu.grading.freshness import stale_feedback

    try:
        stale = stale_feedback(course.resolve(), assignment)
    except CohortError as exc:
        _fail(str(exc))
    if not stale:
        typer.echo(f"✓ {assignment} 的反馈都是最新的")
        return
    for sid, why in stale:
        typer.echo(f"  {sid}:{why}")
    if not regenerate:
        typer.echo(f"共 {len(stale)} 份反馈需要重新生成:运行 kefu feedback-status {assignment} --regenerate")
        raise typer.Exit(1)
    from kefu.cohort.workflow import feedback

    try:
        feedback(course, assignment)
    except CohortError as exc:
        _fail(str(exc))
    left = stale_feedback(course.resolve(), assignment)
    if left:
        _fail(f"仍有 {len(left)} 份反馈未更新:{'、'.join(s for s, _ in left)}")
    typer.echo(f"✓ 已重新生成并发放 {len(stale)} 份过期的反馈")


def register(app: typer.Typer) -> None:
    app.command("grading-guide")(grading_guide)
    app.command("feedback-status")(feedback_status)

"""Writes the exam notebooks and their instructor keys (see :func:`kefu.exams.build_exams`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..authoring import cells as C
from ..seeds import load
from . import theory as T
from .keysfile import write_yaml
from .practical import build_practical  # noqa: F401 - kefu.exams.build_exams calls it from here


def _intro(title: str, theory, retake: bool) -> str:
    lines = [f"# {title}", ""]
    if retake:
        lines.append(f"这是理论考核的补考卷(与正考卷没有相同的题目)。补考仍未通过:{theory.failed_retake_means}。")
        lines.append("")
    lines += [
        f"- 考试时间 **{theory.minutes} 分钟**,{'闭卷' if theory.closed_book else '开卷'};"
        f"满分 {theory.total_points:g} 分,**{theory.pass_score:g} 分及格**。",
        "- 截止时间到了以后提交的试卷记 0 分(本套件规定,手册没有写迟交怎么处理),请留出交卷时间。",
        "",
        "| 题型 | 题数 | 每题分值 | 小计 | 考察重点 |",
        "|---|---|---|---|---|",
    ]
    for s in theory.sections:
        lines.append(f"| {s.title} | {s.count} | {s.points_each:g} | {s.count * s.points_each:g} | {s.focus} |")
    lines += ["", f"**多选题评分:** {theory.multiple_choice_partial_credit.description}"]
    return "\n".join(lines)


HOWTO = """## 如何作答(请先读完)

1. 先运行试卷最上面的**准备格**(点它,按 Shift+Enter)。每道选择题、判断题下面有一个**灰色的答题格**,里面已经写好了 `q01 = ""` 这样的一行
   (q 后面是题号)。只需在**引号或方括号里**填答案(下面的字母只是格式示例,与本卷答案无关):
   - 单选题:填一个字母,写成 `"B"` 这样;
   - 多选题:在方括号里填所有正确选项,每个字母加引号,用逗号隔开,写成 `["A", "C"]` 这样;
   - 判断题:填 `"对"` 或 `"错"`(也可以写 √ 或 ×,繁体字、大小写都可以)。
2. 答题格最后一行的 `# ↑ 在上面的引号或列表里作答(这一行不用改)` 是提示,保留即可;
   用中文输入法打出的引号“”和逗号,也可以(先运行最上面的准备格)。
3. 简答题:双击写着“(双击这里,删掉这一行,写下你的答案)”的格子,删掉这句话,写上你的答案,再按 Shift+Enter。
4. 答题格下面写着“评分在交卷后进行”的格子不用改动。**考试中没有自测(self-check)功能**,
   系统不会提示对错,请认真检查后再交卷。运行这个格子只会告诉你本题是否已经作答。
5. **验证(Validate)只检查每道题是否都已作答**(写法能否读懂),不判断对错,也不给分:交卷前保存,再点
   Validate(验证)按钮(试卷上方的工具栏里,或 Assignments 页面这份试卷下面),它会列出还没有作答的题号;
   验证通过(Success)只表示每道题都答了,不表示答案正确。
6. 随时按 Ctrl+S 保存。
"""


def build_theory(seed: int, root: Path) -> list[Path]:
    exam = load("exam.yml")
    theory = exam.theory
    bank = load("question_bank.yml")
    forms = T.select(bank, theory, seed)
    rule = theory.multiple_choice_partial_credit.rule
    written: list[Path] = []
    for form, aid, title in (
        ("exam", theory.assignment_id, "理论考核"),
        ("retake", theory.retake_assignment_id, "理论补考"),
    ):
        items = T.items_for(form, forms[form], seed)
        cells = T.notebook_cells(aid, title, items, theory, _intro(title, theory, form == "retake"), HOWTO)
        nb_path = root / "assignments" / aid / f"{aid}.ipynb"
        C.write(C.notebook(cells, title=title), nb_path)
        written.append(nb_path)
        keys: dict[str, Any] = {
            "assignment": aid,
            "kind": "theory" if form == "exam" else "retake",
            "seed": seed,
            "partial_credit_rule": rule,
            "questions": {i.grade_id: i.question.id for i in items},
            "tests": {i.grade_id: f"{i.grade_id}-check" for i in items if i.question.kind != "short"},
            "grading": T.grading_entries(items, rule),
            "answers": {i.grade_id: T.answer_variants(i) for i in items if i.question.kind != "short"},
            "expected": {i.grade_id: T.expected_scores(i, rule) for i in items if i.question.kind != "short"},
            "manual": {
                i.grade_id: {
                    "points": float(i.section.points_each),
                    "model_answer": i.question.model_answer,
                    "key_points": list(i.question.key_points),
                }
                for i in items
                if i.question.kind == "short"
            },
        }
        key_path = root / "assignments" / "_keys" / f"{aid}.yml"
        write_yaml(keys, key_path)
        written.append(key_path)
    return written


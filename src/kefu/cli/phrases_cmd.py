"""``kefu phrases check|rewrite|list`` — 话术检查."""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

phrases_app = typer.Typer(
    help="话术检查:找出禁用语和负面语言并给出推荐说法;给改写打分;查看话术库。",
    no_args_is_help=True,
)

_RED = "\033[1;31m"
_YELLOW = "\033[1;33m"
_DIM = "\033[2m"
_OFF = "\033[0m"


def _fail(msg: str, code: int) -> None:
    typer.echo(msg, err=True)
    raise typer.Exit(code)


def _load_checker():
    from kefu.phrases import checker
    from kefu.seeds import SeedError

    try:
        return checker()
    except (SeedError, FileNotFoundError) as exc:
        _fail(f"无法读取话术库 seeds/phrasebook.yml:\n{exc}", 1)


def _read_stdin() -> list[str]:
    if sys.stdin is None or sys.stdin.isatty():
        _fail("请给出要检查的文字,例如:kefu phrases check \"不知道\";或通过标准输入每行一句。", 2)
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(f"输入错误:标准输入不是有效的 UTF-8 文本(第 {exc.start + 1} 个字节无法解码),请另存为 UTF-8 后再试。", 2)
    return text.splitlines()


def _human(report, colour: bool) -> str:
    text = report.text
    mark = "✓" if report.ok else "✗"
    parts, pos = [], 0
    for v in report.violations:
        parts.append(text[pos : v.start])
        span = text[v.start : v.end]
        if v.quoted:
            parts.append(f"“{span}”" if not colour else f"{_DIM}{span}{_OFF}")
        elif colour:
            parts.append(f"{_RED if v.severity == 'error' else _YELLOW}【{span}】{_OFF}")
        else:
            parts.append(f"【{span}】")
        pos = v.end
    parts.append(text[pos:])
    lines = [f"{mark} {''.join(parts) if text.strip() else '(空白)'}"]
    for v in report.violations:
        where = f"第 {v.start + 1}–{v.end} 字"
        if v.quoted:
            lines.append(f"    · 引号中提及“{v.match}”({where}),不算违规")
            continue
        level = "禁用" if v.severity == "error" else "提示"
        lines.append(f"    · {level}[{v.category}]“{v.match}”({where}):{v.why}")
        lines.append(f"      建议:{v.suggestion}  (规则 {v.rule},出处 {v.source})")
    return "\n".join(lines)


@phrases_app.command("check")
def check_cmd(
    texts: Optional[List[str]] = typer.Argument(None, help="要检查的句子;不给时从标准输入每行读一句"),
    jsonl: bool = typer.Option(False, "--jsonl", help="每行输出一个 JSON 对象(text, ok, violations)"),
) -> None:
    """检查句子里的禁用语和负面语言。退出码:0 全部通过,1 有违规,2 用法或输入错误。"""
    ck = _load_checker()
    lines = list(texts) if texts else _read_stdin()
    colour = sys.stdout.isatty() and not jsonl
    all_ok = True
    for line in lines:
        report = ck.check(line)
        all_ok = all_ok and report.ok
        if jsonl:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            typer.echo(_human(report, colour))
    if not jsonl and not lines:
        typer.echo("(没有输入任何句子)")
    raise typer.Exit(0 if all_ok else 1)


_OUTCOME = {"ok": "✓ 可以", "forbidden": "✗ 不当", "uncertain": "? 拿不准(需复核)"}


@phrases_app.command("judge")
def judge_cmd(
    texts: Optional[List[str]] = typer.Argument(None, help="要判定的句子;不给时从标准输入每行读一句"),
    jsonl: bool = typer.Option(False, "--jsonl", help="每行输出一个 JSON 对象(outcome, confidence, reason ...)"),
) -> None:
    """规则 + 学习判定:可以 / 不当 / 拿不准,附置信度和理由(命中的规则,或最相似的已知禁用说法)。
    退出码:0 全部可以,1 有不当,3 没有不当但有拿不准的,2 用法或输入错误。"""
    ck = _load_checker()
    lines = list(texts) if texts else _read_stdin()
    from kefu.phrases import judge

    outcomes = set()
    for line in lines:
        if not line.strip():
            verdict = None
        else:
            verdict = judge(line)
            outcomes.add(verdict.outcome)
        if jsonl:
            data = verdict.to_dict() if verdict else {"text": line, "outcome": "ok", "ok": True, "reason": "空白"}
            typer.echo(json.dumps(data, ensure_ascii=False))
        elif verdict is None:
            typer.echo("✓ (空白)")
        else:
            typer.echo(f"{_OUTCOME[verdict.outcome]}(置信度 {verdict.confidence:.0%}) {line}")
            typer.echo(f"    理由:{verdict.reason}")
    del ck
    raise typer.Exit(1 if "forbidden" in outcomes else 3 if "uncertain" in outcomes else 0)


@phrases_app.command("train")
def train_cmd(
    force: bool = typer.Option(False, "--force", help="即使模型已是最新也重新训练"),
) -> None:
    """训练学习判定模型(由 seeds/ 中的语料决定;数据不变时直接复用),写入 seeds/.kefu-cache/phrase-judge/。"""
    _load_checker()
    from kefu.phrases.judge import build
    from kefu.seeds import SeedError

    try:
        path, trained = build(force=force)
    except SeedError as exc:
        _fail(f"语料种子文件有误,无法训练:\n{exc}", 1)
    except OSError as exc:
        _fail(f"无法写入模型文件:{exc}", 1)
    data = json.loads(path.read_text(encoding="utf-8"))
    split = data["split"]
    state = "已训练" if trained else "已是最新,未重新训练"
    typer.echo(f"{state}:{path}")
    typer.echo(f"  训练用句 {split['trained_on']} 句;语料留出测试 {split['corpus_test']} 句(按文本哈希,{split['holdout_percent']}%),"
               f"训练从未见过;数据指纹 {data['data_hash']}")


@phrases_app.command("rewrite")
def rewrite_cmd(
    item_id: str = typer.Argument(..., help="话术库条目 id 或改写题 id(kefu phrases list 可查)"),
    text: str = typer.Argument(..., help="你的改写"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """按意思给一句改写打分(0–1):没有禁用语、与合格改写意思相近且给出办法、使用礼貌用语。
    退出码:0 合格,1 不合格,2 题目不存在。"""
    _load_checker()
    from kefu.phrases import grade_rewrite

    try:
        result = grade_rewrite(item_id, text)
    except KeyError as exc:
        _fail(str(exc.args[0]) if exc.args else str(exc), 2)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        verdict = ("合格" if result.passed else "不合格") + ("(暂定,需阅卷老师复核)" if result.needs_review else "")
        typer.echo(f"得分 {result.score:.2f} / 1 · {verdict}")
        for reason in result.reasons:
            typer.echo(f"  · {reason}")
    raise typer.Exit(0 if result.passed else 1)


@phrases_app.command("list")
def list_cmd(
    category: Optional[str] = typer.Option(None, "--category", "-c", help="只看某一类,如 推诿"),
    items: bool = typer.Option(False, "--items", help="列出改写题而不是话术条目"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """查看话术库:禁用说法 → 推荐说法,以及类别、级别和出处。"""
    ck = _load_checker()
    book = ck.book
    if items:
        rows = [{"id": i.id, "line": i.line, "entries": i.entries, "rewrite": i.rewrites[0]} for i in book.rewrite_items]
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for r in rows:
            typer.echo(f"{r['id']:<20} {r['line']}  →  {r['rewrite']}")
        typer.echo(f"共 {len(rows)} 道改写题")
        return
    if category and category not in book.categories:
        _fail(f"没有这个类别:{category};可用类别:{'、'.join(book.categories)}", 2)
    chosen = [e for e in book.entries if not category or e.category == category]
    if as_json:
        rows = [
            {"id": e.id, "forbidden": e.forbidden, "category": e.category, "severity": e.severity,
             "rewrites": e.rewrites, "source": e.source, "assumed": e.assumed}
            for e in chosen
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for e in chosen:
        level = "禁用" if e.severity == "error" else "提示"
        src = e.source if isinstance(e.source, str) else ", ".join(e.source)
        typer.echo(f"[{e.category}·{level}] {e.forbidden}  →  {e.rewrites[0]}")
        typer.echo(f"    id {e.id} · 出处 {src}{'(本套件补充)' if e.assumed else ''}")
    typer.echo(f"共 {len(chosen)} 条")


def register(app: typer.Typer) -> None:
    app.add_typer(phrases_app, name="phrases")

"""kefu phrases check|rewrite|list: output formats and exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from kefu.cli.main import app

runner = CliRunner()


def run(args, stdin=None):
    return runner.invoke(app, ["phrases", *args], input=stdin)


def test_check_arguments_exit_codes():
    ok = run(["check", "不好意思，请您稍等"])
    assert ok.exit_code == 0 and "✓" in ok.output
    bad = run(["check", "不好意思", "我 不 知道"])
    assert bad.exit_code == 1
    assert "【不 知道】" in bad.output and "建议" in bad.output


def test_check_jsonl_one_object_per_stdin_line_in_order():
    lines = ["不知道", "", "我们不说“等一下”", "但是可以", "請您不要掛機"]
    res = run(["check", "--jsonl"], stdin="\n".join(lines) + "\n")
    assert res.exit_code == 1
    objs = [json.loads(x) for x in res.output.splitlines()]
    assert [o["text"] for o in objs] == lines
    assert [o["ok"] for o in objs] == [False, True, True, True, True]
    v = objs[0]["violations"][0]
    assert set(v) == {"rule", "category", "start", "end", "match", "suggestion"}
    assert (v["rule"], v["start"], v["end"], v["match"]) == ("bu-zhi-dao", 0, 3, "不知道")
    assert objs[2]["violations"][0]["category"] == "quoted"
    assert objs[3]["violations"][0]["rule"] == "dan-shi"


def test_check_all_ok_stdin_exit_zero():
    res = run(["check", "--jsonl"], stdin="您好\n不客气\n")
    assert res.exit_code == 0 and len(res.output.splitlines()) == 2


def test_invalid_utf8_stdin_is_a_clear_error():
    proc = subprocess.run(
        [sys.executable, "-m", "kefu.cli.main", "phrases", "check"],
        input=b"\xff\xfe\xfd abc\n", capture_output=True, timeout=120,
    )
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert "UTF-8" in err and "Traceback" not in err


def test_long_line_and_usage_errors():
    res = run(["check", "--jsonl"], stdin="您好" * 50_000 + "\n")
    assert res.exit_code == 0 and json.loads(res.output)["ok"] is True
    assert run(["check", "--nope"]).exit_code == 2


def test_rewrite_command():
    good = run(["rewrite", "deng-yi-xia", "请您稍等片刻，我马上为您查询。"])
    assert good.exit_code == 0 and "合格" in good.output
    bad = run(["rewrite", "deng-yi-xia", "等一下"])
    assert bad.exit_code == 1 and "原句" in bad.output
    data = json.loads(run(["rewrite", "ri-wait", "请您稍等", "--json"]).output)
    assert data["item"] == "ri-wait" and 0 <= data["score"] <= 1
    missing = run(["rewrite", "no-such", "您好"])
    assert missing.exit_code == 2 and "没有这个条目" in missing.output


def test_list_command():
    from kefu.phrases import entries

    rows = json.loads(run(["list", "--json"]).output)
    assert [r["id"] for r in rows] == [e.id for e in entries()]
    only = json.loads(run(["list", "--json", "-c", "推诿"]).output)
    assert only and all(r["category"] == "推诿" for r in only)
    assert run(["list", "-c", "没有这类"]).exit_code == 2
    assert "ri-silent-call" in run(["list", "--items"]).output


def test_judge_outcomes_reasons_and_exit_codes():
    res = run(["judge", "--jsonl"], stdin="您好，请问有什么可以帮您？\n你是听不懂还是怎么的\n")
    assert res.exit_code == 1
    objs = [json.loads(x) for x in res.output.splitlines()]
    assert [o["outcome"] for o in objs] == ["ok", "forbidden"]
    assert objs[1]["rule"] and objs[1]["reason"] and objs[1]["suggestion"] and 0.5 < objs[1]["confidence"] <= 1
    assert {"needs_review", "nearest", "similarity", "start", "end"} <= set(objs[0])
    ok = run(["judge", "为了您的隐私我们不能在电话里念身份证号"])
    assert ok.exit_code == 0 and "理由" in ok.output


def test_train_reports_the_model_and_its_split():
    res = run(["train"])
    assert res.exit_code == 0
    assert "judge-" in res.output and "留出测试" in res.output and "训练从未见过" in res.output


def test_rewrite_marks_provisional_scores():
    res = run(["rewrite", "ri-wait", "劳驾您坐着歇会儿，茶水在旁边，下一位就是您", "--json"])
    data = json.loads(res.output)
    assert data["needs_review"] is True and res.exit_code in (0, 1)

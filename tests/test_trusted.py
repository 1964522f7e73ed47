"""Trusted scoring and safe outputs, without kernels: the payload a kernel hands over, how TrustedScore
reads and marks it, what stock nbgrader makes of a kefu test cell, and what SanitizeOutputs keeps."""
from __future__ import annotations

import json

import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kefu.answers import MIME, payload
from kefu.authoring.grading import GradingError, compile_call, emit_source
from kefu.autograde.sanitize import REMOVED_NOTE, TOO_BIG_NOTE, SanitizeOutputs, clean_html
from kefu.autograde.trusted import KeysError, TrustedScore, read_payload, score

ENTRY = compile_call('__import__("kefu.authoring.marking", fromlist=["m"]).choices(q1, "BCA", 3, ["甲", "乙", "丙"])', 3)


def _out(data) -> dict:
    return new_output("display_data", data={MIME: data, "text/plain": "x"})


def test_compile_call_turns_the_marking_call_into_data():
    assert ENTRY == {"function": "kefu.authoring.marking.choices", "variables": ["q1"],
                     "args": [{"$answer": "q1"}, "BCA", 3, ["甲", "乙", "丙"]], "kwargs": {}, "points": 3.0}
    exam = compile_call('from kefu.exams.marking import mark_single\nmark_single(q07, "D", points=1, label="第 7 题")', 1)
    assert exam["function"] == "kefu.exams.marking.mark_single" and exam["kwargs"]["points"] == 1
    with pytest.raises(GradingError):
        compile_call('__import__("os").system("id")', 1)  # only marking modules
    assert "BCA" not in emit_source(ENTRY["variables"]) and emit_source(["q1"]).endswith("\n0")


def test_payload_is_plain_bounded_data():
    class Sneaky:
        def __reduce__(self):  # pragma: no cover - must never be called
            raise AssertionError

    ns = {"a": ("B", "C"), "b": {"x": 1.5, "y": [True, None]}, "c": Sneaky(), "d": float("nan"), "e": {3: "k"},
          "f": "字" * 30000}
    got = payload(("a", "b", "c", "d", "e", "f", "g"), ns)
    assert got["values"]["a"] == ["B", "C"] and got["values"]["b"] == {"x": 1.5, "y": [True, None]}
    assert got["values"]["d"] is None
    assert set(got["unsupported"]) == {"c", "e", "f"} and got["missing"] == ["g"]
    json.dumps(got)  # JSON as it stands


def test_read_payload_takes_the_last_well_formed_one_and_ignores_the_rest():
    outs = [_out({"v": 1, "values": {"q1": ["B", "C", "A"]}}),
            _out({"v": 1, "values": {"q1": ["A", "A", "A"]}}),
            _out({"v": 1, "values": "not a dict"}),
            new_output("execute_result", data={"text/plain": "3"}, execution_count=1),
            new_output("stream", name="stdout", text='{"values": {"q1": ["B","C","A"]}}')]
    assert read_payload(outs)["values"] == {"q1": ["A", "A", "A"]}
    assert read_payload([_out({"v": 1, "values": {"q1": "x" * 300000}})]) is None
    assert read_payload([]) is None


def test_score_marks_the_values_in_this_process(capsys):
    right, text = score(ENTRY, {"values": {"q1": ["B", "C", "A"]}, "unsupported": []})
    assert right == 3.0 and "甲" in text
    part, _ = score(ENTRY, {"values": {"q1": ["B", "x", "A"]}, "unsupported": []})
    assert part == 2.0
    none, text = score(ENTRY, None)
    assert none == 0.0 and "没有收到" in text
    miss, text = score(ENTRY, {"values": {}, "unsupported": []})
    assert miss == 0.0 and "没有找到变量 q1" in text
    # an answer shaped like a key reference is just data
    odd, _ = score(ENTRY, {"values": {"q1": {"$answer": "q1"}}, "unsupported": []})
    assert odd == 0.0
    with pytest.raises(KeysError):
        score({**ENTRY, "function": "os.system"}, None)
    assert capsys.readouterr().out == ""  # marking printed into the explanation, not to our stdout


def _nb(outputs) -> object:
    cell = new_code_cell('check("q1")\n' + emit_source(["q1"]))
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "q1-test",
                                 "points": 3, "schema_version": 3}
    cell.outputs = outputs
    cell.execution_count = 4
    return new_notebook(cells=[cell])


def test_trusted_score_replaces_outputs_and_stock_nbgrader_gives_zero(tmp_path):
    from nbgrader.utils import determine_grade

    (tmp_path / "hw.yml").write_text(yaml.safe_dump({"grading": {"q1-test": ENTRY}}, allow_unicode=True),
                                     encoding="utf-8")
    kernel_outputs = [new_output("stream", name="stdout", text="【选择题】得分 3 / 3\n"),
                      _out({"v": 1, "values": {"q1": ["B", "C", "x"]}}),
                      new_output("execute_result", data={"text/plain": "0"}, execution_count=4)]
    stock = _nb(list(kernel_outputs))
    assert determine_grade(stock.cells[0]) == (0, 3.0)  # stock nbgrader without kefu's configuration
    nb, _ = TrustedScore(keys_dir=str(tmp_path)).preprocess(_nb(list(kernel_outputs)), {"nbgrader": {"assignment": "hw"}})
    cell = nb.cells[0]
    assert determine_grade(cell) == (2.0, 3.0)
    assert "得分 2 / 3" in cell.outputs[0].text and MIME not in json.dumps(cell.outputs)
    # no keys file: the kefu test scores zero with a message, never full marks
    nb, _ = TrustedScore(keys_dir=str(tmp_path)).preprocess(_nb(list(kernel_outputs)), {"nbgrader": {"assignment": "other"}})
    assert determine_grade(nb.cells[0]) == (0, 3.0)


def test_sanitize_outputs_keeps_text_tables_images_and_nothing_active():
    assert clean_html('<table><tr><td onclick="x()">1</td></tr></table><script>evil()</script>') == \
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    assert "javascript" not in clean_html('<a href="javascript:evil()">a</a><img src="x" onerror="evil()">')
    assert 'src="data:image/png;base64,AAAA"' in clean_html('<img src="data:image/png;base64,AAAA">')
    cell = new_code_cell("x")
    cell.outputs = [
        new_output("display_data", data={"application/javascript": "evil()", "text/plain": "js"}),
        new_output("display_data", data={"image/svg+xml": "<svg onload='evil()'/>"}),
        new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "图"},
                   metadata={"image/png": {"width": 10, "onload": "x"}}),
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"},
                                         "text/markdown": "[a](javascript:evil())", "text/plain": "w"}),
        new_output("stream", name="stdout", text="<script>只是文字</script>"),
    ]
    cell.outputs.append(new_output("display_data", data={"text/html": "<p>x</p>" * 100_000}))
    md = new_markdown_cell('<iframe src="javascript:evil()"></iframe>好 [点](javascript:evil())')
    nb = new_notebook(cells=[cell, md])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nb, _ = SanitizeOutputs().preprocess(nb, {})
    outs = nb.cells[0].outputs
    assert [set(o.get("data", {})) for o in outs[:4]] == [{"text/plain"}, {"text/plain"}, {"image/png", "text/plain"},
                                                        {"text/plain"}]
    assert outs[1].data["text/plain"] == REMOVED_NOTE
    assert outs[2].metadata == {"image/png": {"width": 10}}
    assert outs[4].text == "<script>只是文字</script>"  # a stream is text, escaped when shown
    assert outs[5].data == {"text/plain": TOO_BIG_NOTE}
    assert "iframe" not in nb.cells[1].source and "javascript" not in nb.cells[1].source.lower()
    assert "好" in nb.cells[1].source and "widgets" not in nb.metadata

"""Benchmark of the phrase judgement on the held-out split only; prints one JSON object.

    .venv/bin/python bench/phrases.py [--n 20000] [--big 1000000]

Held-out replies: the rows of seeds/phrase_corpus_*.csv whose normalised text hashes into the
held-out buckets (kefu.phrases.corpus); the learned judge never trained on them nor on any seed
sentence with the same normalised text. Figures:

* ``rules``: the phrasebook alone (a reply is flagged when ``check(text).ok`` is false);
* ``rules_and_judge``: ``judge(text)``; "forbidden" counts as flagged, "uncertain" is reported
  separately (share of forbidden and of polite replies sent to a grader);
* per category: recall of forbidden replies of that category (false alarms are over polite replies);
* ``held_out.by_file``: the same per corpus file (files added later hold held-out rows nobody has
  looked at before: a fresher figure than the whole split); ``by_length``: by reply length (characters
  without punctuation: 1–4, 5–8, 9–15, 16+), short replies being where a character model is least sure;
* ``independent``: the sealed evaluation sets seeds/phrase_eval_*.csv — written blind to the
  phrasebook and the corpus, never trained on (training drops any text equal to one of them after
  normalisation), like the issue's 441 replies from published taboo lists;
* ``rewrites``: grade_rewrite on the held-out acceptable / unacceptable rewrites of seeds/phrase_rewrites.yml;
* ``speed``: replies per second of CPU time on one core (typical corpus replies; rules alone, rules +
  judge — the verdict — and rules + judge with every verdict's explanation read, as a trainee or grader
  reads it: a model verdict's nearest-example search is made only then; the median of ``--repeat``
  passes, each pass listed), and seconds for one reply of ``--big``
  characters: a polite sentence repeated with one hit at the end, one short rude line repeated (a hit every few
  characters), and the corpus's own replies one after another (``mixed``: every rule and exception at work); and
  seconds to judge ``--big`` characters of the polite replies the rules pass, one sentence each (``polite_mixed``:
  no rule decides, the model reads every sentence).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from collections import Counter


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _figures(rows, flagged, uncertain=None):
    """rows: (forbidden, category); flagged/uncertain: parallel lists of bools."""
    pos = [i for i, (bad, _c) in enumerate(rows) if bad]
    neg = [i for i, (bad, _c) in enumerate(rows) if not bad]
    tp = sum(flagged[i] for i in pos)
    fp = sum(flagged[i] for i in neg)
    out = {
        "precision": _rate(tp, tp + fp),
        "recall": _rate(tp, len(pos)),
        "false_alarm_rate": _rate(fp, len(neg)),
        "forbidden": len(pos),
        "polite": len(neg),
    }
    if uncertain is not None:
        out["uncertain_share_of_forbidden"] = _rate(sum(uncertain[i] for i in pos), len(pos))
        out["uncertain_share_of_polite"] = _rate(sum(uncertain[i] for i in neg), len(neg))
        out["recall_counting_uncertain_as_caught"] = _rate(sum(flagged[i] or uncertain[i] for i in pos), len(pos))
        out["false_alarm_counting_uncertain"] = _rate(sum(flagged[i] or uncertain[i] for i in neg), len(neg))
    cats = Counter(c for bad, c in rows if bad)
    out["per_category"] = {
        c: {"recall": _rate(sum(flagged[i] for i in pos if rows[i][1] == c), n), "forbidden": n}
        | ({"uncertain": _rate(sum(uncertain[i] for i in pos if rows[i][1] == c), n)} if uncertain is not None else {})
        for c, n in sorted(cats.items())
    }
    return out


def _brief(f):
    return {k: f[k] for k in ("recall", "false_alarm_rate", "precision", "forbidden", "polite") if k in f} | (
        {"uncertain_share_of_forbidden": f["uncertain_share_of_forbidden"],
         "uncertain_share_of_polite": f["uncertain_share_of_polite"]} if "uncertain_share_of_polite" in f else {})


#: reply lengths (characters, punctuation and spaces not counted) the figures are also given for: short replies
#: (好的。/ 明白 / 谢谢您的来电) are where a character model is least sure, and trainees type many of them
LENGTH_BANDS = ((1, 4), (5, 8), (9, 15), (16, 10 ** 9))


def _by_length(samples, verdicts):
    out = {}
    for lo, hi in LENGTH_BANDS:
        idx = [i for i, s in enumerate(samples) if lo <= len(re.sub(r"[\W_]+", "", s.text)) <= hi]
        rows = [(samples[i].forbidden, samples[i].category) for i in idx]
        f = _figures(rows, [verdicts[i].outcome == "forbidden" for i in idx],
                     [verdicts[i].outcome == "uncertain" for i in idx])
        out[f"{lo}-{hi}" if hi < 10 ** 9 else f"{lo}+"] = _brief(f)
    return out


def _by_file(samples, rule_flag, verdicts):
    files = sorted({s.origin.split(":")[0] for s in samples})
    out = {}
    for name in files:
        idx = [i for i, s in enumerate(samples) if s.origin.startswith(name + ":")]
        rows = [(samples[i].forbidden, samples[i].category) for i in idx]
        out[name] = {
            "rules": _brief(_figures(rows, [rule_flag[i] for i in idx])),
            "rules_and_judge": _brief(_figures(rows, [verdicts[i].outcome == "forbidden" for i in idx],
                                               [verdicts[i].outcome == "uncertain" for i in idx])),
        }
    return out


def _independent(samples, judge):
    """Figures on the sealed evaluation sets (none shipped → an empty object)."""
    if not samples:
        return {}
    rows = [(s.forbidden, s.category) for s in samples]
    verdicts = [judge.judge(s.text) for s in samples]
    rule_flag = [not v.report.ok for v in verdicts]  # the rules' report each verdict was built on
    return {
        "files": sorted({s.origin.split(":")[0] for s in samples}),
        "rules": _figures(rows, rule_flag),
        "rules_and_judge": _figures(rows, [v.outcome == "forbidden" for v in verdicts],
                                    [v.outcome == "uncertain" for v in verdicts]),
        "by_file": _by_file(samples, rule_flag, verdicts),
        "by_length": _by_length(samples, verdicts),
    }


def _rewrites():
    from kefu.phrases import checker, grade_rewrite
    from kefu.phrases.grade import _seed_items, examples
    from kefu.seeds import seeds_dir

    items = _seed_items(str(seeds_dir().resolve()))
    good = bad = good_pass = bad_fail = review = 0
    kinds: Counter = Counter()
    kinds_fail: Counter = Counter()
    for item in items:
        for ex in examples(item, "test"):
            res = grade_rewrite(item, ex.text)
            review += res.needs_review
            if ex.good:
                good += 1
                good_pass += res.passed
            else:
                bad += 1
                bad_fail += not res.passed
                kinds[ex.kind] += 1
                kinds_fail[ex.kind] += not res.passed
    loo = _leave_one_out(items)
    checker()
    return {
        "items": len(items),
        "held_out_good": good,
        "held_out_bad": bad,
        "good_pass_rate": _rate(good_pass, good),
        "bad_fail_rate": _rate(bad_fail, bad),
        "bad_fail_rate_by_kind": {k: _rate(kinds_fail[k], n) for k, n in sorted(kinds.items())},
        "needs_review_share": _rate(review, good + bad),
        "training_examples_leave_one_out": loo,
    }


def _leave_one_out(items):
    """A larger (but development-time) estimate: each training example graded with a memory
    that lacks it. The thresholds were tuned on these, so this is not a held-out figure."""
    from kefu.phrases import grade as G
    from kefu.seeds import seeds_dir

    folder = str(seeds_dir().resolve())
    good = bad = good_pass = bad_fail = review = 0
    original = G._memory
    try:
        for item in items:
            base = original(folder, item)
            for ex in G.examples(item, "train"):
                m = object.__new__(G._Memory)
                keep = [(e, v) for e, v in zip(base.examples, base.vectors) if e.text != ex.text]
                m.judge, m.examples, m.vectors = base.judge, [e for e, _ in keep], [v for _, v in keep]
                m.seeded = base.seeded - (1 if ex.good else 0)
                G._memory = lambda _f, _i, m=m: m
                res = G.grade_rewrite(item, ex.text)
                review += res.needs_review
                if ex.good:
                    good, good_pass = good + 1, good_pass + res.passed
                else:
                    bad, bad_fail = bad + 1, bad_fail + (not res.passed)
    finally:
        G._memory = original
    return {"good": good, "bad": bad, "good_pass_rate": _rate(good_pass, good),
            "bad_fail_rate": _rate(bad_fail, bad), "needs_review_share": _rate(review, good + bad)}


def _rates(fn, batch, repeat: int) -> list[float]:
    """Replies per second of CPU time, one figure per pass over ``batch``: CPU time, not the wall clock,
    so another process on the core slows the figure less (it still shares the caches)."""
    rates = []
    for _ in range(repeat):
        t0 = time.process_time()
        for t in batch:
            fn(t)
        rates.append(len(batch) / max(time.process_time() - t0, 1e-9))
    return rates


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000, help="replies timed for the throughput figures")
    ap.add_argument("--repeat", type=int, default=3, help="passes timed for each throughput figure (median)")
    ap.add_argument("--big", type=int, default=1_000_000, help="characters of the one long reply timed")
    args = ap.parse_args()
    from kefu.phrases import checker
    from kefu.phrases.corpus import load_corpus, load_evaluation
    from kefu.phrases.judge import build, judge_model

    t0 = time.perf_counter()
    path, trained = build()
    build_s = time.perf_counter() - t0
    judge = judge_model()
    ck = checker()
    corpus = load_corpus()
    test = [s for s in corpus if s.split == "test"]
    rows = [(s.forbidden, s.category) for s in test]
    verdicts = [judge.judge(s.text) for s in test]
    rule_flag = [not v.report.ok for v in verdicts]  # judge() runs the rules first; no second check
    out = {
        "held_out": {
            "split": judge.split,
            "rules": _figures(rows, rule_flag),
            "rules_and_judge": _figures(rows, [v.outcome == "forbidden" for v in verdicts],
                                        [v.outcome == "uncertain" for v in verdicts]),
            "by_file": _by_file(test, rule_flag, verdicts),
            "by_length": _by_length(test, verdicts),
        },
        "independent": _independent(load_evaluation(), judge),
        "rewrites": _rewrites(),
    }
    # throughput on typical replies (held-out and training replies alike: only speed is measured), on one
    # core. Pinned only now: a model trained under the pin differs from one trained by `kefu build` or the
    # tests in the last digits (the numerical libraries then run one thread), and the cache would keep it.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts = [s.text for s in corpus]
    batch = [texts[i % len(texts)] for i in range(args.n)]
    # timed through the public functions the drills, the live checker and the grading call
    # (kefu.phrases.check / judge): they also find the current seeds folder on every call
    from kefu.phrases import check as check_reply, judge as judge_reply

    for t in texts[:500]:
        judge_reply(t)
    rules_rates = _rates(check_reply, batch, args.repeat)
    judge_rates = _rates(judge_reply, batch, args.repeat)
    explained_rates = _rates(lambda t: judge_reply(t).reason, batch, args.repeat)
    big = ("您好，请问有什么可以帮您？我帮您查询一下订单。" * (args.big // 20 + 1))[: args.big - 3] + "不知道"
    t0 = time.perf_counter()
    big_report = ck.check(big)
    big_s = time.perf_counter() - t0
    hits = ("不知道，你自己查。催什么催。" * (args.big // 14 + 1))[: args.big]
    t0 = time.perf_counter()
    hits_report = ck.check(hits)
    hits_s = time.perf_counter() - t0
    # the corpus's replies one after another (a pasted transcript, or an answer stuffed on purpose): every rule and
    # its exceptions meet the kind of text they were written for, thousands of times, not one phrase repeated
    import random

    rng = random.Random(0)
    parts, size = [], 0
    while size < args.big:
        parts.append(rng.choice(texts) + rng.choice(["。", "，", "\n", "！", ""]))
        size += len(parts[-1])
    mixed = "".join(parts)[: args.big]
    t0 = time.perf_counter()
    mixed_report = ck.check(mixed)
    mixed_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    mixed_verdict = judge.judge(mixed)
    mixed_verdict.reason
    mixed_judge_s = time.perf_counter() - t0
    # the polite replies the rules pass, one sentence each: no rule decides, so the model reads every sentence
    # (the mixed text above is decided by its first rule hit)
    polite = [s.text for s in corpus if not s.forbidden and ck.check(s.text).ok]
    parts, size = [], 0
    while size < args.big:
        parts.append(rng.choice(polite).rstrip("。.!！?？") + "。")
        size += len(parts[-1])
    polite_long = "".join(parts)[: args.big]
    # what a long text needs once a process (the n-gram codes of Judge.probabilities, the nearest-example
    # index) is built before it is timed, as a running server has it
    judge_reply("。".join(polite[:200])).reason
    t0 = time.perf_counter()
    polite_verdict = judge.judge(polite_long)
    polite_verdict.reason
    polite_judge_s = time.perf_counter() - t0
    out["speed"] = {
        "one_core": True,
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "replies": len(batch),
        "mean_reply_chars": round(sum(map(len, batch)) / len(batch), 1),
        "timing": f"CPU time of this process, median of {args.repeat} passes (each pass: every reply once)",
        "rules_replies_per_s": round(statistics.median(rules_rates)),
        "rules_and_judge_replies_per_s": round(statistics.median(judge_rates)),
        "rules_and_judge_passes": [round(r) for r in judge_rates],
        "rules_and_judge_explained_replies_per_s": round(statistics.median(explained_rates)),
        "rules_and_judge_explained_passes": [round(r) for r in explained_rates],
        "big_reply_chars": len(big),
        "big_reply_check_s": round(big_s, 3),
        "big_reply_violations": len(big_report.violations),
        "dense_reply_chars": len(hits),
        "dense_reply_check_s": round(hits_s, 3),
        "dense_reply_violations": len(hits_report.violations),
        "mixed_reply_chars": len(mixed),
        "mixed_reply_check_s": round(mixed_s, 3),
        "mixed_reply_violations": len(mixed_report.violations),
        "mixed_reply_judge_s": round(mixed_judge_s, 3),
        "mixed_reply_outcome": mixed_verdict.outcome,
        "polite_mixed_reply_chars": len(polite_long),
        "polite_mixed_reply_judge_s": round(polite_judge_s, 3),
        "polite_mixed_reply_outcome": polite_verdict.outcome,
        "model_build_s": round(build_s, 2) if trained else None,
        "model_file": str(path),
        "model_bytes": path.stat().st_size,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Benchmark of the phrase checker: precision, recall and throughput (replies per second, one core).

    .venv/bin/python bench/phrases.py [--n 50000] [--seed 0]

Labelled data: seeds/phrase_examples.yml (flag = should be flagged; pass/quoted = should not),
plus composed two-sentence replies (a polite sentence followed by a rude or by another polite
one) drawn at random from the same seed, which exercises matching inside longer replies.
"""
from __future__ import annotations

import argparse
import os
import random
import time


def _labelled():
    from kefu.seeds import load

    data = []
    for g in load("phrase_examples.yml").groups:
        for e in g.examples:
            data.append((e.text, e.expect == "flag"))
    return data


def _composed(data, n, rng):
    polite = [t for t, bad in data if not bad]
    rude = [t for t, bad in data if bad]
    out = []
    for _ in range(n):
        a = rng.choice(polite)
        if rng.random() < 0.5:
            out.append((a + rng.choice(rude), True))
        else:
            out.append((a + rng.choice(polite), False))
    return out


def _scores(check, data):
    tp = fp = fn = tn = 0
    for text, bad in data:
        got = check(text).flagged
        tp += got and bad
        fp += got and not bad
        fn += (not got) and bad
        tn += (not got) and not bad
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn, tn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=50_000, help="replies to check for the throughput figure")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    from kefu.phrases import checker

    if hasattr(os, "getloadavg"):
        print(f"机器负载(1 分钟平均):{os.getloadavg()[0]:.1f},CPU 核数 {os.cpu_count()};负载高时吞吐量偏低")

    ck = checker()
    rng = random.Random(args.seed)
    data = _labelled()
    composed = _composed(data, 2000, rng)
    for name, rows in (("教材与自编例句", data), ("组合长句", composed)):
        p, r, tp, fp, fn, tn = _scores(ck.check, rows)
        if name == "组合长句" and fn:
            print("  漏检示例:", [t for t, bad in rows if bad and not ck.check(t).flagged][:3])
        print(f"{name}: {len(rows)} 句  precision {p:.3f}  recall {r:.3f}  (TP {tp} FP {fp} FN {fn} TN {tn})")

    corpus = [t for t, _ in data] + [t for t, _ in composed]
    replies = [corpus[i % len(corpus)] for i in range(args.n)]
    rng.shuffle(replies)
    for t in corpus:  # warm-up: compile, learn t2s characters
        ck.check(t)
    for label, batch in (
        ("混合(约一半违规)", replies),
        ("只含礼貌句", [t for t, bad in data + composed if not bad] * (args.n // 200 + 1)),
    ):
        batch = batch[: args.n]
        t0 = time.perf_counter()
        for t in batch:
            ck.check(t)
        dt = time.perf_counter() - t0
        avg = sum(map(len, batch)) / len(batch)
        print(f"吞吐量[{label}]: {len(batch) / dt:,.0f} 句/秒(单核,{len(batch)} 句,平均 {avg:.1f} 字)")


if __name__ == "__main__":
    main()

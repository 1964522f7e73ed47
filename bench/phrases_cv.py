"""Cross-validation of the phrase judge on the TRAINING split only; prints one JSON object.

    .venv/bin/python bench/phrases_cv.py [--folds 5] [--ngram-max 5] [--C 32] [--misses]

This is how the judge's settings (n-gram range, regularisation, ``polite_below`` /
``forbidden_above``) are chosen without looking at the held-out split: every training text
(corpus rows of the training split plus the seed sentences that hash into it) is put into one of
``--folds`` folds by a hash of its text; for each fold the model is fitted on the other folds and
the fold's *corpus* rows are judged (rules first, then the model). Figures: rules alone, the model's
probability thresholds swept, and with ``--misses`` the forbidden training rows the rules miss (the
material for new rules — training split only).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import Counter
from types import SimpleNamespace


def _fold(text: str, k: int) -> int:
    """Variants of one sentence (spaces, 繁體, emoji) share a fold, as they share a split."""
    from kefu.phrases.corpus import split_key

    return int(hashlib.sha256(("cv\x00" + split_key(text)).encode("utf-8")).hexdigest(), 16) % k


def _bar(r, hi: float) -> float:
    """As Judge.judge: the probability a row needs to be forbidden, lowered by the cue it meets (r[5])."""
    return hi if r[5] is None else min(hi, r[5])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--ngram-max", type=int, default=None)
    ap.add_argument("--C", type=float, default=None)
    ap.add_argument("--nb", type=float, default=None, help="override judge.naive_bayes_alpha (0: regression alone)")
    ap.add_argument("--context", choices=("on", "off"), default=None, help="override judge.sentence_context")
    ap.add_argument("--misses", action="store_true", help="list the forbidden training rows the rules miss")
    ap.add_argument("--fa-cap", type=float, default=None,
                    help="also search forbidden_above (0.50-0.90) and the cues' bar (above polite_below, or none) jointly for the "
                         "highest recall whose false-alarm rate stays within this cap")
    ap.add_argument("--cue-bar", type=float, default=None,
                    help="override the forbidden_above of every judge.cues entry (1.0: cues off)")
    ap.add_argument("--min-chars", type=int, default=None, help="override judge.min_chars")
    ap.add_argument("--rule-veto", type=float, default=None,
                    help="override judge.rule_veto_below (a rule hit the model reads as polite below this is uncertain)")
    ap.add_argument("--train-fraction", type=float, default=1.0,
                    help="train each fold on this share of the other folds' texts (by a hash of the text): a learning "
                         "curve, to tell whether more training replies would still raise recall")
    ap.add_argument("--dump", default=None,
                    help="write every out-of-fold corpus row as TSV (label, category, probability, cue bar, rule, text)")
    ap.add_argument("--dump-extra", default=None,
                    help="also judge the training-only rows out of fold and write them as --dump does (they are not "
                         "counted in the figures: fresh rows for reading the rules' false alarms)")
    ap.add_argument("--no-rules", action="store_true",
                    help="the model alone: the rules were written from training misses, so on training rows "
                         "they look better than on new replies; thresholds are chosen on the model alone")
    args = ap.parse_args()

    from kefu.phrases import checker
    from kefu.phrases.corpus import load_corpus, load_training_only
    from kefu.phrases.judge import Judge, fit, sentences, training_rows
    from kefu.seeds import seeds_dir

    ck = checker()
    base = ck.book.judge
    settings = SimpleNamespace(**{k: getattr(base, k) for k in (
        "ngram_min", "ngram_max", "regularisation", "naive_bayes_alpha", "sentence_context")})
    if args.ngram_max:
        settings.ngram_max = args.ngram_max
    if args.C:
        settings.regularisation = args.C
    if args.nb is not None:
        settings.naive_bayes_alpha = args.nb
    if args.context is not None:
        settings.sentence_context = args.context == "on"
    min_chars = args.min_chars if args.min_chars is not None else base.min_chars
    veto = args.rule_veto if args.rule_veto is not None else base.rule_veto_below
    settings_out = {"min_chars": min_chars, "rule_veto_below": veto}
    rows = training_rows(seeds_dir())
    corpus = {s.text: s for s in load_corpus() if s.split == "train"}
    extra = {s.text for s in load_training_only() if s.split == "extra"} if args.dump_extra else set()
    extra_dump = []
    results = []  # (forbidden, category, rule_flag, p, short, cue bar or None)
    dumped = []
    for f in range(args.folds):
        train = [r for r in rows if _fold(r[0], args.folds) != f
                 and (args.train_fraction >= 1 or _fold(r[0] + "\x00share", 1000) < args.train_fraction * 1000)]
        judge = Judge(fit(train, settings))
        for text, bad, cat in rows:
            if _fold(text, args.folds) != f or (text not in corpus and text not in extra):
                continue
            rep = ck.check(text)
            n = ck.norm(text).text
            best, (a, b) = judge.worst(n)
            short = len(re.sub(r"[\W_]+", "", n[a:b])) < min_chars
            cue = judge.cue(n)  # --cue-bar replaces the bar of every cue a row meets
            cue_bar = None if cue is None else (cue[0].forbidden_above if args.cue_bar is None else args.cue_bar)
            if text not in corpus:
                extra_dump.append((bad, cat, best, cue_bar, bool(rep.errors), text))
                continue
            results.append((bad, cat, bool(rep.errors) and not args.no_rules and best >= veto, best, short, cue_bar))
            dumped.append((bad, cat, best, cue_bar, bool(rep.errors), text))
    pos = [r for r in results if r[0]]
    neg = [r for r in results if not r[0]]
    out = {"settings": vars(settings) | settings_out, "rows": len(results), "forbidden": len(pos), "polite": len(neg)}
    out["rules"] = {"recall": round(sum(r[2] for r in pos) / len(pos), 4),
                    "false_alarm_rate": round(sum(r[2] for r in neg) / len(neg), 4)}
    # threshold-free comparison of models: recall when the threshold lets through 1/2/3 % of polite rows
    neg_p = sorted((r[3] for r in neg), reverse=True)
    out["model_recall_at_false_alarms"] = {
        f"{fa:.2f}": round(sum(r[3] > neg_p[int(fa * len(neg_p))] for r in pos) / len(pos), 4)
        for fa in (0.01, 0.02, 0.03)}
    sweep = []
    for hi in sorted({0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, base.forbidden_above}):
        for lo in (0.3, 0.4, 0.5, 0.55):
            if lo > hi:
                continue

            def outcome(r, lo=lo, hi=hi):
                bar = _bar(r, hi)
                if r[2]:
                    return "forbidden"
                if r[3] < lo and r[3] < bar:
                    return "ok"
                return "forbidden" if r[3] >= bar and not r[4] else "uncertain"

            tp = sum(outcome(r) == "forbidden" for r in pos)
            fp = sum(outcome(r) == "forbidden" for r in neg)
            sweep.append({"polite_below": lo, "forbidden_above": hi, "recall": round(tp / len(pos), 4),
                          "false_alarm_rate": round(fp / len(neg), 4),
                          "uncertain_forbidden": round(sum(outcome(r) == "uncertain" for r in pos) / len(pos), 4),
                          "uncertain_polite": round(sum(outcome(r) == "uncertain" for r in neg) / len(neg), 4)})
    out["sweep"] = sweep
    if args.fa_cap is not None:
        # the joint choice of forbidden_above and the cues' bar: the highest CV recall whose CV false-alarm
        # rate (with the rules) stays within the cap; polite_below as shipped
        lo = base.polite_below
        grid = []
        for hi100 in range(50, 91):
            # a cue only settles the uncertain band: its bar is never below polite_below (the schema says so),
            # and not equal to it either, or a reply meeting a cue could never be "uncertain" and reach a grader
            for cb100 in [None] + list(range(round(lo * 100) + 5, hi100 + 1, 5)):
                hi_, cb = hi100 / 100, (None if cb100 is None else cb100 / 100)

                def caught(r, hi_=hi_, cb=cb):
                    bar = hi_ if (r[5] is None or cb is None) else min(hi_, cb)
                    return r[2] or (r[3] >= bar and not r[4])

                fa = sum(map(caught, neg)) / len(neg)
                if fa <= args.fa_cap:
                    grid.append({"forbidden_above": hi_, "cue_bar": cb,
                                 "recall": round(sum(map(caught, pos)) / len(pos), 4), "false_alarm_rate": round(fa, 4)})
        grid.sort(key=lambda g: (-g["recall"], g["false_alarm_rate"], -g["forbidden_above"]))
        out["best_within_false_alarm_cap"] = {"cap": args.fa_cap, "top": grid[:8]}
    cur = [s for s in sweep if s["polite_below"] == base.polite_below and s["forbidden_above"] == base.forbidden_above]
    out["current_thresholds"] = cur[0] if cur else None
    cats = Counter(r[1] for r in pos)
    hi, lo = base.forbidden_above, base.polite_below
    out["per_category_recall_current"] = {
        c: round(sum(1 for r in pos if r[1] == c and (r[2] or (r[3] >= _bar(r, hi) and not r[4]))) / n, 3)
        for c, n in sorted(cats.items())}
    out["cue_share"] = {"forbidden": round(sum(r[5] is not None for r in pos) / len(pos), 4),
                        "polite": round(sum(r[5] is not None for r in neg) / len(neg), 4)}
    out["rules_per_category"] = {c: round(sum(1 for r in pos if r[1] == c and r[2]) / n, 3)
                                 for c, n in sorted(cats.items())}
    if args.misses:
        misses = []
        for text, s in corpus.items():
            if s.forbidden and not ck.check(text).errors:
                misses.append(f"{s.category}\t{text}")
        fas = [t for t, s in corpus.items() if not s.forbidden and ck.check(t).errors]
        out["rule_misses"] = sorted(misses)
        out["rule_false_alarms"] = sorted(fas)
    for path, rows_out in ((args.dump, dumped), (args.dump_extra, extra_dump)):
        if not path:
            continue
        with open(path, "w", encoding="utf-8") as fh:
            for bad, cat, p, cb, rule, text in rows_out:
                fh.write(f"{'forbidden' if bad else 'polite'}\t{cat}\t{p:.4f}\t{cb}\t{int(rule)}\t{text}\n")
    out["train_fraction"] = args.train_fraction
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

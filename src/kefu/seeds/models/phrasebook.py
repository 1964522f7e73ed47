"""seeds/phrasebook.yml — forbidden and negative phrasing with recommended rewrites.

The phrase engine (:mod:`kefu.phrases`) reads only this file: normalisation settings, pattern
macros, categories, grading weights, the entries (patterns, exceptions, rewrites, intent) and
the rewrite items used by drills and graded exercises.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..base import Fact, SeedFile, Strict

FILE = "phrasebook.yml"

Severity = Literal["error", "warning"]
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Normalise(Strict):
    """How a text is normalised before matching (offsets are mapped back to the original)."""

    ignore: str = ""  # characters dropped besides whitespace (e.g. middle dots)
    punctuation: dict[str, str] = Field(default_factory=dict)  # one character -> one character
    collapse: str = ""  # punctuation whose runs (!!!) count as one
    open_quotes: str = "“"
    close_quotes: str = "”"
    symmetric_quotes: str = '"'

    @field_validator("punctuation")
    @classmethod
    def _one_to_one(cls, value: dict[str, str]) -> dict[str, str]:
        for k, v in value.items():
            if len(k) != 1 or len(v) != 1:
                raise ValueError(f"punctuation 的映射必须是单个字符对单个字符:{k!r} -> {v!r}")
        return value


class Intent(Strict):
    """What a rewrite must keep: each inner list is one point; any of its alternatives counts."""

    meaning: str = ""
    keep: list[list[str]] = Field(default_factory=list)

    @field_validator("keep")
    @classmethod
    def _non_empty_groups(cls, value: list[list[str]]) -> list[list[str]]:
        for group in value:
            if not group or any(not a.strip() for a in group):
                raise ValueError("keep 中的每一组都要列出至少一个非空的说法")
        return value


class Entry(Fact):
    id: str = Field(pattern=_ID)
    forbidden: str  # the phrase as a trainer would name it
    category: str
    severity: Severity = "error"
    why: str  # why it hurts the customer (own words)
    patterns: list[str] = Field(min_length=1)  # regular expressions on the normalised text
    exceptions: list[str] = Field(default_factory=list)  # a match overlapping one of these is not reported
    rewrites: list[str] = Field(min_length=1)
    intent: Intent = Field(default_factory=Intent)
    structural: bool = False  # a family pattern: a specific entry overlapping it is reported instead
    basis: str = ""  # for an assumed entry: the kind of published list it reflects (e.g. 银行网点服务忌语)


class RewriteItem(Fact):
    """A whole rude line a trainee rewrites (drills, graded exercises)."""

    id: str = Field(pattern=_ID)
    line: str
    entries: list[str] = Field(min_length=1)  # phrasebook entry ids the line breaks
    intent: Intent
    rewrites: list[str] = Field(min_length=1)  # model answers


class Grading(Fact):
    """How grade_rewrite scores a reply (weights sum to 1)."""

    courtesy_markers: list[str] = Field(min_length=1)
    weight_no_violation: float = Field(ge=0, le=1)
    weight_intent: float = Field(ge=0, le=1)
    weight_courtesy: float = Field(ge=0, le=1)
    warning_credit: float = Field(ge=0, le=1)  # share of the violation weight kept when only warnings remain
    pass_score: float = Field(ge=0, le=1)
    min_chars: int = Field(ge=1)
    neighbours: int = Field(ge=1)  # examples voting on the meaning of a rewrite
    same_as: float = Field(gt=0, le=1)  # similarity at which a reply counts as a model rewrite
    min_similarity: float = Field(ge=0, le=1)  # below this to every example: a grader decides
    review_band: float = Field(ge=0, le=1)  # scores this close below the pass mark go to a grader
    refusal: list[str] = Field(default_factory=list)  # regexes of a refusal
    alternative: list[str] = Field(default_factory=list)  # regexes of an action or alternative offered
    passing: list[str] = Field(default_factory=list)  # regexes of polite buck-passing

    @field_validator("refusal", "alternative", "passing")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        for p in value:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"正则表达式 {p!r} 无效:{exc}") from None
        return value

    @model_validator(mode="after")
    def _weights(self) -> "Grading":
        total = self.weight_no_violation + self.weight_intent + self.weight_courtesy
        if abs(total - 1) > 1e-9:
            raise ValueError(f"三项权重之和应为 1,实际为 {total:g}")
        return self


class Cue(Strict):
    """A wording that makes a forbidden reading likely without deciding it (kefu.phrases.judge): when a
    reply matches ``pattern`` and none of ``unless``, the model needs only ``forbidden_above`` to call it
    forbidden. A rule decides alone; a cue lowers the bar for the model's own suspicion (a refusal with
    no way forward is forbidden when the model half agrees, a polite statement of fact is not)."""

    id: str = Field(pattern=_ID)
    pattern: str = Field(min_length=1)  # regular expression on the normalised reply ({MACROS} allowed)
    unless: list[str] = Field(default_factory=list)  # any of these in the reply: the cue does not apply
    forbidden_above: float = Field(gt=0, lt=1)
    category: str  # the category of a reply the cue helped condemn
    why: str = Field(min_length=1)  # Chinese: what the cue means, shown in the verdict


class Judge(Fact):
    """The learned "similar reply" judge (kefu.phrases.judge): split, features, thresholds."""

    holdout_percent: int = Field(ge=1, le=50)  # share of replies (by text hash) never trained on
    split_salt: str = Field(min_length=1)  # changing it draws a new held-out split
    ngram_min: int = Field(ge=1, le=3)
    ngram_max: int = Field(ge=1, le=6)
    regularisation: float = Field(gt=0)  # C of the logistic regression
    # > 0: average the regression's probability with a multinomial naive Bayes (this smoothing) on the
    # same features; 0: the regression alone
    naive_bayes_alpha: float = Field(default=0.0, ge=0)
    # true: a sentence is also read with the next one (the last with the one before) and keeps the lower probability (Judge.worst)
    sentence_context: bool = False
    forbidden_above: float = Field(gt=0, lt=1)  # probability at or above which a reply is forbidden
    polite_below: float = Field(gt=0, lt=1)  # below which it is acceptable; in between: uncertain
    min_chars: int = Field(ge=1)  # a sentence shorter than this is at most "uncertain" by the model alone
    rule_confidence: float = Field(gt=0, le=1)  # confidence of a verdict a rule decided
    # > 0: a rule hit in a reply the model reads as polite with a probability below this is "uncertain"
    # (a grader decides), not forbidden: the rules' patterns misfire on polite wordings they were not written from
    rule_veto_below: float = Field(default=0.0, ge=0, lt=1)
    min_similarity: float = Field(ge=0, le=1)  # a nearest example less similar than this is not shown
    advice: dict[str, str] = Field(default_factory=dict)  # category -> what to say instead
    cues: list[Cue] = Field(default_factory=list)  # wordings that lower forbidden_above (see Cue)

    @model_validator(mode="after")
    def _order(self) -> "Judge":
        if self.ngram_min > self.ngram_max:
            raise ValueError("ngram_min 不能大于 ngram_max")
        if self.polite_below > self.forbidden_above:
            raise ValueError("polite_below 不能大于 forbidden_above")
        if self.rule_veto_below > self.polite_below:
            raise ValueError("rule_veto_below 不能大于 polite_below(模型只在很确定得体时才让规则的命中交人工复核)")
        for cue in self.cues:
            # a cue settles the uncertain band; it never condemns a reply the model calls acceptable
            if not self.polite_below <= cue.forbidden_above <= self.forbidden_above:
                raise ValueError(f"提示词 {cue.id} 的 forbidden_above 应在判定器的 polite_below 与 forbidden_above 之间")
        return self


class Model(SeedFile):
    normalise: Normalise
    reported_speech: list[str] = Field(default_factory=list)  # spans that repeat the customer's words
    macros: dict[str, str] = Field(default_factory=dict)  # {NAME} in a pattern -> this text
    categories: dict[str, str]  # category name -> what it means
    grading: Grading
    judge: Judge
    entries: list[Entry] = Field(min_length=1)
    rewrite_items: list[RewriteItem] = Field(default_factory=list)

    def expand(self, pattern: str) -> str:
        for name, text in self.macros.items():
            pattern = pattern.replace("{" + name + "}", text)
        return pattern

    @model_validator(mode="after")
    def _consistent(self) -> "Model":
        problems: list[str] = []
        seen: set[str] = set()

        def regexes(where: str, patterns: list[str]) -> None:
            """Every pattern compiles once its macros are expanded; ``where`` names it in the message."""
            for p in patterns:
                try:
                    re.compile(self.expand(p))
                except re.error as exc:
                    problems.append(f"{where}正则表达式 {p!r} 无效:{exc}")

        for e in self.entries:
            if e.id in seen:
                problems.append(f"条目 id 重复:{e.id}")
            seen.add(e.id)
            if e.category not in self.categories:
                problems.append(f"条目 {e.id} 的类别 {e.category} 不在 categories 中")
            regexes(f"条目 {e.id} 的 patterns ", e.patterns)
            regexes(f"条目 {e.id} 的 exceptions ", e.exceptions)
        regexes("reported_speech ", self.reported_speech)
        for cue in self.judge.cues:
            if cue.category not in self.categories:
                problems.append(f"judge.cues 中 {cue.id} 的类别 {cue.category} 不在 categories 中")
            regexes(f"judge.cues 中 {cue.id} 的 pattern ", [cue.pattern])
            regexes(f"judge.cues 中 {cue.id} 的 unless ", cue.unless)
        unknown = [c for c in self.judge.advice if c not in self.categories]
        if unknown:
            problems.append(f"judge.advice 中的类别不在 categories 中:{', '.join(unknown)}")
        for item in self.rewrite_items:
            if item.id in seen:
                problems.append(f"改写题 id 与其他条目重复:{item.id}")
            seen.add(item.id)
            missing = [x for x in item.entries if x not in {e.id for e in self.entries}]
            if missing:
                problems.append(f"改写题 {item.id} 引用了不存在的条目:{', '.join(missing)}")
        if problems:
            raise ValueError(";".join(problems))
        return self

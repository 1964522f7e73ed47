"""Online-shop quick-phrase (快捷短语) builder: write a canned reply for a shop situation; the phrase
engine checks the wording and the chat-etiquette rules of seeds/ecommerce.yml check the content."""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from kefu.phrases.lines import verdict_lines

from . import sources
from .base import Drill, esc


@dataclass(frozen=True)
class Situation:
    id: str
    title: str
    prompt: str
    needs: tuple[str, ...]  # chat-etiquette rule ids this phrase must show


# Practice situations (the kit's own wording). Which etiquette rules each must show refers to
# seeds/ecommerce.yml chat_etiquette ids; the rule texts are read from there.
SITUATIONS = (
    Situation("welcome", "进店欢迎语", "顾客刚发来“在吗?”,写一条自动欢迎语。", ("introduce-yourself", "polite-tone")),
    Situation("wait", "请顾客稍等", "你要去仓库核实库存,需要顾客等一会儿,写一条快捷短语。", ("polite-tone",)),
    Situation("shipping", "发货说明", "顾客问什么时候发货,写一条说明发货安排的快捷短语。", ("polite-tone",)),
    Situation("after-sales", "售后安抚", "顾客说收到的商品有破损,写一条先安抚再给出处理办法的快捷短语。", ("polite-tone",)),
    Situation("goodbye", "结束语", "顾客说“好的,谢谢”,写一条礼貌的结束语。", ("polite-tone",)),
)

# How each requirement is recognised in a reply (simple, explainable checks).
_SIGNALS = {
    "introduce-yourself": ("我是", "我叫", "客服小", "号客服", "为您服务"),
    "polite-tone": ("您", "亲", "请", "谢谢", "感谢", "抱歉", "不好意思"),
}


class QuickPhraseBuilder(Drill):
    """``situation`` picks the case, ``phrase`` is the text; ``check()`` passes when the phrase
    engine finds no violation and each required etiquette point shows."""

    title = "快捷短语编写"

    def __init__(self, situation: str | None = None) -> None:
        super().__init__(instructions="选一个场景,写出你要保存的快捷短语,点“检查”。")
        self.situation = widgets.Dropdown(options=[(s.title, s.id) for s in SITUATIONS],
                                          value=situation or SITUATIONS[0].id, description="场景")
        self.prompt = widgets.HTML()
        self.phrase = widgets.Textarea(placeholder="亲,您好……", layout=widgets.Layout(width="95%", height="70px"))
        self.preview = widgets.HTML()
        self.situation.observe(lambda _c: self._show(), names="value")
        self.phrase.observe(lambda _c: self._preview(), names="value")
        self.body = [self.situation, self.prompt, self.phrase, self.preview]
        self._show()

    @property
    def current(self) -> Situation:
        return next(s for s in SITUATIONS if s.id == self.situation.value)

    def _show(self) -> None:
        s = self.current
        rules = sources.chat_etiquette()
        needs = "".join(f"<li>{esc(rules[n].title)}:{esc(rules[n].rule)}</li>" for n in s.needs)
        self.prompt.value = f'<div class="kefu-prompt">{esc(s.prompt)}</div><div>要求:<ul>{needs}</ul></div>'
        self.feedback.value = ""

    def _preview(self) -> None:
        from kefu.phrases import check, highlight_html

        text = self.phrase.value
        self.preview.value = "" if not text.strip() else (
            f'<div style="padding:4px">预览:{highlight_html(check(text))}</div>')

    def check(self) -> bool:
        from kefu.phrases import judge

        text = self.phrase.value.strip()
        if not text:
            return self._say(False, "还没有写内容", ["在输入框写出快捷短语再点“检查”。"])
        self._preview()
        rules = sources.chat_etiquette()
        verdict = judge(text)  # rules first, then the learned judge (issue 15)
        # an uncertain verdict (a rule hit the model reads as plainly polite, or a reply the model half suspects) is
        # a hint below, not a problem
        problems = verdict_lines(verdict) if verdict.outcome == "forbidden" else []
        hint = [f"提示:{verdict.reason}"] if verdict.outcome == "uncertain" else []
        missing = []
        for need in self.current.needs:
            if not any(sig in text for sig in _SIGNALS.get(need, ())):
                r = rules[need]
                missing.append(f"缺少“{r.title}”:{r.rule}(来源:{r.source})")
        if not problems and not missing:
            return self._say(True, "这条快捷短语可以保存使用。", [
                "没有禁用语,语气亲切,要点齐全。", *hint,
                f"{rules['quick-phrases'].rule}(来源:{rules['quick-phrases'].source})"])
        return self._say(False, "这条短语还需要修改。", [*problems, *missing, *hint])

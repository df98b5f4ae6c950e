"""What the pages show of the ideas all together (site/together.py): the texts' HTML and
the similar ideas are made ahead only when the memo lacks them, and are the same either way."""

from __future__ import annotations

import pytest

from bubbleup.core import markup
from bubbleup.core.model import Catalog
from bubbleup.site import halves, together
from bubbleup.site import memo as memo_module
from bubbleup.site.memo import Likeness, Memo
from test_memo import IDEAS


def test_made_ahead_only_when_the_memo_lacks_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "available", lambda: True)
    monkeypatch.setattr(memo_module, "PREPARE_FROM", 2)
    catalog = Catalog(ideas={one.slug: one for one in IDEAS})
    cold = Memo()
    together.about_ideas(catalog, cold)  # a first build: everything is made ahead
    assert set(cold.texts.values()) == {markup.render(one.text) for one in IDEAS}
    assert [len(found) for found in cold.similar.values()] == [len(IDEAS)]
    warm = Memo()  # the next build's, read from what the first one wrote
    warm.texts, warm.similar = dict(cold.texts), {corpus: dict(found) for corpus, found in cold.similar.items()}
    monkeypatch.setattr(Memo, "prepare", lambda *_: pytest.fail("the texts are remembered: nothing to make ahead"))
    monkeypatch.setattr(Likeness, "prepare", lambda *_: pytest.fail("the similar ideas are remembered"))
    _, _, index = together.about_ideas(catalog, warm)
    fresh = Likeness(IDEAS, Memo())
    assert [index.similar(one) for one in IDEAS] == [fresh.similar(one) for one in IDEAS]
    assert [warm.html(one.text, lambda: "not remembered") for one in IDEAS] == [
        markup.render(one.text) for one in IDEAS
    ]

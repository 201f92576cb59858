"""The command line's and the page's own words, by key, in Kazakh, Russian and English
(``--lang kk|ru|en``), through the gettext catalogues of ``attest_rules.messages``.

Only the library's framing is here: statuses, labels, headings. The legal text is shown as the
spec holds it (official Kazakh; an English gloss is marked unofficial), and question titles and
reasons are the spec's own wording in each language. Labels of a fact's values, and the
headings of forms, are the spec's too (``labels`` on an enum fact, ``title`` on a form); a label
is marked unofficial wherever it is shown.
"""

from __future__ import annotations

from typing import Any

from attest_rules.engine.vocabulary import STATUS_WORDS
from attest_rules.messages import LANGS, ntr, nwords, tr, words

__all__ = ["LANGS", "count", "page_words", "t"]

_KEYS: dict[str, str] = {
    **STATUS_WORDS,
    "case": words("Case"),
    "no_id": words("(no id)"),
    "spec": words("spec"),
    "version": words("version"),
    "missing": words("missing"),
    "deciding": words("would decide it"),
    "witness": words("witness"),
    "explained": words("search"),
    "date": words("date"),
    "warning": words("warning"),
    "interpretations": words("interpretations"),
    "switched": words("Interpretations switched"),
    "wording_unknown": words("(wording unknown)"),
    "window": words("inside the effective-date window; under {version}"),
    "depends": words("the answer DEPENDS on it"),
    "same": words("same answer"),
    "no_ru_text": words("(the spec holds no official Russian text; the Kazakh text:)"),
    "unofficial_gloss": words("[unofficial English gloss]"),
    "not_given": words("not given: {facts}"),
    "by_hand": words("by hand: {why}"),
    "text_of": words("text of {version}"),
    "forms_missing": words("Fields not filled: {facts}"),
    "skipped": words("no row"),
    "unofficial_label": words("unofficial label"),
}
_PAGE: dict[str, str] = {  # the page's own words (GET /messages gives them in a language)
    "title": words("Attestation rules: the answers for a case"),
    "case": words("Case (YAML or JSON)"),
    "lang": words("Language"),
    "on": words("Date (empty: each question's own event date)"),
    "compare": words("Compare"),
    "on2": words("Another date"),
    "evaluate": words("Evaluate"),
    "compare_button": words("Compare"),
    "question": words("Question"),
    "status": words("Status"),
    "why": words("Reasons and clause"),
    "other": words("Under the other setting"),
    "clause": words("clause"),
    "changed": words("answers changed"),
    "default_choice": words("default"),
    "wording": words("Titles and reasons are the library's wording, not legal text."),
}
_COUNTS = {
    "passed": nwords("{n} passed", "{n} passed"),
    "failed": nwords("{n} failed", "{n} failed"),
    "cases": nwords("{n} case", "{n} cases"),
}


def t(lang: str, key: str, **values: Any) -> str:
    """The message ``key`` in ``lang`` (kk, ru or en), with ``values`` filled in."""
    return tr(lang, _KEYS[key], **values)


def count(lang: str, key: str, n: int) -> str:
    """A count in ``lang``, its words in the right plural form ("3 өтті", "5 пройдено")."""
    singular, plural = _COUNTS[key]
    return ntr(lang, singular, plural, n)


def page_words(lang: str) -> dict[str, str]:
    """The page's own words in ``lang``, by key, statuses and labels among them."""
    keys = ("satisfied", "violated", "undetermined", "not_applicable", "missing")
    return {**{k: t(lang, k) for k in keys}, **{k: tr(lang, w) for k, w in _PAGE.items()}}

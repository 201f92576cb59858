"""The command line's own words in Kazakh, Russian and English (``--lang kk|ru|en``).

Only the library's framing is translated here: statuses, labels, headings. The legal text is
shown as the spec holds it (official Kazakh; an English gloss is marked unofficial), and the
spec's reasons and question titles, which analysts write in English, are shown as written and
marked as such in the other languages. Labels of a fact's values, and the headings of forms,
are the spec's (``labels`` on an enum fact, ``title`` on a form); a label is marked unofficial
wherever it is shown.
"""

from __future__ import annotations

from typing import Any

LANGS = ("kk", "ru", "en")

_CATALOGUE: dict[str, tuple[str, str, str]] = {
    # key: (kk, ru, en)
    "satisfied": ("сақталды", "соблюдено", "satisfied"),
    "violated": ("бұзылды", "нарушено", "violated"),
    "undetermined": ("анықталмады", "не определено", "undetermined"),
    "not_applicable": ("қолданылмайды", "не применяется", "not applicable"),
    "case": ("Іс", "Дело", "Case"),
    "no_id": ("(нөмірсіз)", "(без номера)", "(no id)"),
    "spec": ("спецификация", "спецификация", "spec"),
    "version": ("редакция", "редакция", "version"),
    "missing": ("берілмеген деректер", "недостающие сведения", "missing"),
    "deciding": ("шешетін деректер", "решающие сведения", "would decide it"),
    "witness": ("куә", "свидетель", "witness"),
    "explained": ("іздеу", "поиск", "search"),
    "date": ("күн", "дата", "date"),
    "warning": ("ескерту", "предупреждение", "warning"),
    "interpretations": ("түсіндірмелер", "толкования", "interpretations"),
    "switched": ("Ауыстырылған түсіндірмелер", "Изменённые толкования", "Interpretations switched"),
    "wording_unknown": ("(мәтіні белгісіз)", "(текст неизвестен)", "(wording unknown)"),
    "window": (
        "күшіне ену күнінің белгісіз аралығында; {version} редакциясы бойынша",
        "в неопределённом окне вступления в силу; по редакции {version}",
        "inside the effective-date window; under {version}",
    ),
    "depends": ("жауап соған байланысты", "ответ ЗАВИСИТ от этого", "the answer DEPENDS on it"),
    "same": ("жауап өзгермейді", "ответ тот же", "same answer"),
    "en_note": ("(ағылшынша)", "(на английском)", ""),
    "no_ru_text": (
        "",
        "(официального русского текста в спецификации нет; текст на казахском:)",
        "",
    ),
    "unofficial_gloss": ("", "", "[unofficial English gloss]"),
    "not_given": ("берілмеген: {facts}", "не указано: {facts}", "not given: {facts}"),
    "by_hand": ("қолмен: {why}", "вручную: {why}", "by hand: {why}"),
    "text_of": ("{version} редакциясының мәтіні", "текст редакции {version}", "text of {version}"),
    "forms_missing": (
        "Толтырылмаған жолдар бар: {facts}",
        "Не заполнены поля: {facts}",
        "Fields not filled: {facts}",
    ),
    "skipped": ("жол жоқ", "строки нет", "no row"),
    "unofficial_label": (
        "ресми емес атау",
        "неофициальное название",
        "unofficial label",
    ),
    "passed": (
        "{ok} өтті, {bad} өтпеді",
        "{ok} пройдено, {bad} не пройдено",
        "{ok} passed, {bad} failed",
    ),
}


def t(lang: str, key: str, **values: Any) -> str:
    """The message ``key`` in ``lang`` (kk, ru or en), with ``values`` filled in."""
    kk, ru, en = _CATALOGUE[key]
    text = {"kk": kk, "ru": ru, "en": en}.get(lang, en)
    return text.format(**values) if values else text

"""The library's own words in Kazakh, Russian and English, through gettext.

A message is written in English in the code, marked with ``msg`` (or ``nmsg`` where a number
decides its form), and translated in the gettext catalogues beside this module
(``locale/<lang>/LC_MESSAGES/attest_rules.po``, compiled to ``.mo``): translators use their
usual tools (Babel's ``pybabel``, Poedit, Weblate), and plurals follow each language's rule.
``make messages`` extracts the marked messages and updates the catalogues; a test holds the
compiled catalogues to their sources and every marked message to a translation.

A ``Message`` is a ``str``, its English text, that also keeps what it was made of, so it can be
said again in another language (``localise``), its values too: a value with a ``localised``
method (a weekday, a holiday's name) is said in that language. Where many are kept (legal
time's steps, for every date it remembers), ``said`` makes a ``Said`` instead: not a ``str``,
smaller, and formatted only when read. ``tr`` says a message at once. The legal text never goes
through here: the spec holds it as it is.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

LANGS = ("kk", "ru", "en")
DOMAIN = "attest_rules"
LOCALE_DIR = Path(__file__).with_name("locale")


@runtime_checkable
class Localisable(Protocol):
    """A value said differently in each language (its ``str`` is the English)."""

    def localised(self, lang: str) -> str: ...


class Message(str):
    """A message of the library: its English text, with the message id and values it was made
    from, to say it again in another language."""

    msgid: str
    plural: str | None
    args: Mapping[str, Any]

    def __new__(
        cls, msgid: str, args: Mapping[str, Any], plural: str | None = None, n: int = 1
    ) -> Message:
        template = msgid if plural is None or n == 1 else plural
        text = super().__new__(cls, _format(template, args, "en"))
        text.msgid, text.plural, text.args = msgid, plural, args
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.msgid, dict(self.args), self.plural, self.args.get("n", 1)))

    def localised(self, lang: str) -> str:
        """This message in ``lang`` (kk, ru, en); English where the catalogue has no
        translation."""
        if lang == "en":
            return str.__str__(self)
        tr = translations(lang)
        if self.plural is None:
            template = tr.gettext(self.msgid)
        else:
            template = tr.ngettext(self.msgid, self.plural, int(self.args.get("n", 1)))
        return _format(template, self.args, lang)


class Joined(str):
    """Several texts joined by "; ", each said in the reader's language."""

    parts: tuple[object, ...]
    sep: str

    def __new__(cls, parts: list[Any] | tuple[Any, ...], sep: str = "; ") -> Joined:
        text = super().__new__(cls, sep.join(str(p) for p in parts))
        text.parts, text.sep = tuple(parts), sep
        return text

    def localised(self, lang: str) -> str:
        return self.sep.join(localise(p, lang) for p in self.parts)


class Said:
    """A message kept to be said later, in English (``str``) or another language
    (``localised``), and kept small: legal time keeps one for every step of every date it
    remembers, and a batch remembers tens of thousands (a ``Message`` there cost 10 MB more
    per 2,000 cases). The names of its values are shared between all messages made at the
    same place; nothing is formatted until it is read."""

    __slots__ = ("english", "msgid", "names", "values")

    def __init__(
        self, msgid: str, names: tuple[str, ...], values: tuple[Any, ...], english: str
    ) -> None:
        """``english``: ``msgid`` with its ``{name}`` fields made positional (``_positional``),
        shared by every message made at the same place."""
        self.msgid, self.names, self.values, self.english = msgid, names, values, english

    def __str__(self) -> str:
        return self.english.format(*self.values)  # format() says each value as its str

    def __repr__(self) -> str:
        return f"Said({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other) if isinstance(other, (str, Said)) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def localised(self, lang: str) -> str:
        """This message in ``lang``; English where the catalogue has no translation."""
        if lang == "en":
            return self.english.format(*self.values)
        template = _positional(translations(lang).gettext(self.msgid), self.names)
        return template.format(*(localise(v, lang) for v in self.values))


_SITES: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], str]] = {}  # see ``said``
_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@functools.lru_cache(maxsize=1024)
def _positional(template: str, names: tuple[str, ...]) -> str:
    """``template`` with each ``{name}`` made ``{index}`` into ``names``: a ``Said`` is
    formatted from its tuple of values, with no mapping built for each (legal time says
    thousands of steps a second in a batch)."""
    index = {name: i for i, name in enumerate(names)}
    return _FIELD.sub(lambda m: f"{{{index[m[1]]}}}" if m[1] in index else m[0], template)


def said(msgid: str, /, **args: Any) -> Said:
    """``msg``, kept small and said only when read (``str`` or ``localise``)."""
    key = (msgid, tuple(args))
    site = _SITES.get(key)
    if site is None:  # once per place a message is made: its names and English template
        site = _SITES[key] = (key[1], _positional(msgid, key[1]))
    return Said(msgid, site[0], tuple(args.values()), site[1])


def msg(msgid: str, /, **args: Any) -> Message:
    """A message, in English now and in any language later: ``msgid`` is the English text
    with ``{name}`` for each value in ``args``."""
    return Message(msgid, args)


def nmsg(singular: str, plural: str, n: int, /, **args: Any) -> Message:
    """A message whose form depends on the number ``n`` (given to the text as ``{n}``)."""
    return Message(singular, {"n": n, **args}, plural, n)


def words(msgid: str, /) -> str:
    """Mark ``msgid`` for translation where it is written; ``tr`` says it later."""
    return msgid


def nwords(singular: str, plural: str, /) -> tuple[str, str]:
    """Mark a pair of forms for translation where it is written; ``ntr`` says it later."""
    return singular, plural


def raised(exc: BaseException) -> str:
    """An error's message as it was raised: a ``Message`` stays one, to be said in the
    reader's language later; any other error, its text."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, str) else str(exc)


def localise(text: object, lang: str) -> str:
    """``text`` in ``lang``: a ``Message`` or another localisable value is translated; any other
    text (an id, legal text, an analyst's own words) is returned as it is."""
    if lang != "en":
        said = getattr(text, "localised", None)
        if said is not None:
            return str(said(lang))
    return str(text)


def tr(lang: str, msgid: str, /, **args: Any) -> str:
    """``msgid`` said in ``lang`` at once, with ``args`` filled in."""
    template = msgid if lang == "en" else translations(lang).gettext(msgid)
    return _format(template, args, lang)


def ntr(lang: str, singular: str, plural: str, n: int, /, **args: Any) -> str:
    """``tr`` for a message whose form depends on the number ``n``."""
    if lang == "en":
        template = singular if n == 1 else plural
    else:
        template = translations(lang).ngettext(singular, plural, n)
    return _format(template, {"n": n, **args}, lang)


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (an empty one where there is none: English)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _format(template: str, args: Mapping[str, Any], lang: str) -> str:
    if not args:
        return template
    if lang == "en":  # format() says each value as its str: its English
        return template.format_map(args)
    return template.format_map({k: localise(v, lang) for k, v in args.items()})

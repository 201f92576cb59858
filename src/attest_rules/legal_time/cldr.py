"""What this library takes from the Unicode CLDR, through Babel: the language codes a language
fact accepts, and the weekdays' names a date's reasons give in Kazakh or Russian.

Babel reads a locale's whole data file to give a single name: importing it and reading one
locale is about 30 ms, at every start of a command that needs one of them. So what is taken is
kept as JSON in the cache folder (``resources.cache_folder``), keyed as Python keys a ``.pyc``
to its source: by where Babel's data files are, their sizes and their times of change, with
this library's version. Another Babel, or the same reinstalled, is another key; an entry that
is not as written (cut short, edited) is not trusted and Babel is asked again. With the cache
off, or Babel's files not found where they are looked for, Babel is asked every time: the same
names, only slower. The functions ending in ``_from_babel`` ask it directly, and the tests hold
the kept names to them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from attest_rules.outputs import kept_in_cache
from attest_rules.version import __version__

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
"""An ISO 639 code as a language fact takes it: two or three small letters. A locale of this
form (kk, ru, en) has its data in its own file over root's, which is what ``_key`` keys."""
KEEP = 4
"""Files of the CLDR's names kept in the cache folder for each kind and language, the latest
written: one for each installation of Babel and of the library in use (each is keyed by where
Babel's data is, so a new environment writes its own)."""


def language_codes_from_babel() -> frozenset[str]:
    """The ISO 639 language codes (two or three letters) that the CLDR names in English."""
    from babel import Locale

    names = Locale("en").languages
    return frozenset(c for c in names if isinstance(c, str) and LANGUAGE_CODE.match(c))


def weekday_names_from_babel(lang: str) -> tuple[str, ...]:
    """The weekdays' names in ``lang``, Monday first, as a date's format names them."""
    from babel.dates import get_day_names

    names = get_day_names("wide", "format", locale=lang)
    return tuple(str(names[i]) for i in range(7))


@functools.cache
def language_codes() -> frozenset[str]:
    """``language_codes_from_babel``, from the cache where it holds them."""
    codes = _kept(
        "language-codes",
        "en",
        lambda: sorted(language_codes_from_babel()),
        lambda kept: bool(kept) and all(LANGUAGE_CODE.match(c) for c in kept),
    )
    return frozenset(codes)


@functools.cache
def weekday_names(lang: str) -> tuple[str, ...]:
    """``weekday_names_from_babel``, from the cache where it holds them."""
    return tuple(
        _kept(
            "weekdays",
            lang,
            lambda: list(weekday_names_from_babel(lang)),
            lambda kept: len(kept) == 7 and all(kept),
        )
    )


def weekday_name(day: dt.date, lang: str) -> str:
    """``day``'s weekday in ``lang``, as Babel's ``format_date(day, "EEEE")`` says it."""
    return weekday_names(lang)[day.weekday()]


def _kept(
    kind: str, locale: str, compute: Callable[[], list[str]], valid: Callable[[list[str]], bool]
) -> list[str]:
    """What ``compute`` gives (Babel, reading ``locale``), kept under ``kind``."""
    key = _key(locale)
    if key is None:
        return compute()

    def trusted(raw: bytes) -> list[str] | None:
        kept = _read(raw)
        return kept if kept is not None and valid(kept) else None

    return kept_in_cache(
        f"cldr-{kind}-{locale}-{key}.json",
        trusted,
        compute,
        lambda found: json.dumps({"library_version": __version__, "values": found}),
        (f"cldr-{kind}-{locale}-*.json", KEEP),
    )


def _read(raw: bytes) -> list[str] | None:
    try:
        data: Any = json.loads(raw)
        values = data["values"]
        if data["library_version"] != __version__ or not isinstance(values, list):
            return None
    except (ValueError, TypeError, KeyError):
        return None
    return values if all(isinstance(v, str) for v in values) else None


def _key(locale: str) -> str | None:
    """Babel's data for ``locale`` as installed: its folder, and the size and time of change of
    the locale's file and root's (which every locale inherits); ``None`` where a locale is not
    one file over root, or the files are not where they are looked for."""
    if not LANGUAGE_CODE.match(locale):
        return None
    try:
        found = importlib.util.find_spec("babel")
        if found is None or found.origin is None:
            return None
        folder = Path(found.origin).parent / "locale-data"
        parts = [str(folder), __version__]
        for file in ("root.dat", f"{locale}.dat"):
            stat = (folder / file).stat()
            parts.append(f"{file}:{stat.st_size}:{stat.st_mtime_ns}")
    except (OSError, ImportError, ValueError):
        return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

"""The loaded regulation: its versions, its interpretations and its text on any date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from attest_rules.errors import AttestRulesError, DocPath, SpecIssue
from attest_rules.legal_time import Term, TermError, term_end
from attest_rules.messages import msg
from attest_rules.spec.bindings import AFTER_PUBLICATION, WINDOW, Bindings
from attest_rules.spec.consolidation import Consolidated, Provision, Tree
from attest_rules.spec.events import Events
from attest_rules.spec.facts import FactsModel
from attest_rules.spec.model import Act, ChangeOp, Interpretation, Restoration, SpecDocument, Window
from attest_rules.spec.rulebook import Rulebook

if TYPE_CHECKING:
    from attest_rules.spec.diff import Change

VersionStatus = Literal["in_force", "not_yet", "uncertain"]


def effective_after_publication(published: dt.date, term: Term, counting: str) -> dt.date:
    """First day in force of an act that enters into force ``term`` after publication:
    ``counting`` is the value of the parameter ``versions.after_publication``."""
    last = term_end(published, term).date
    return last if counting == "last-day-of-term" else last + dt.timedelta(days=1)


@dataclass(frozen=True)
class Version:
    """One version of the regulation. ``effective_from`` is ``None`` while only a ``window`` of
    possible effective dates is known."""

    id: str
    title: str
    act: Act
    index: int
    effective_from: dt.date | None
    window: Window | None
    published_on: dt.date | None
    after_publication: Term | None
    changes: tuple[ChangeOp, ...]

    @property
    def uncertain(self) -> bool:
        return self.effective_from is None

    def starts(self, counting: str) -> dt.date | None:
        """The first day in force under ``counting`` (``versions.after_publication``), or
        ``None`` while it is not known."""
        if self.published_on is not None and self.after_publication is not None:
            return effective_after_publication(self.published_on, self.after_publication, counting)
        return self.effective_from

    def status_on(self, on: dt.date, counting: str, window: str) -> VersionStatus:
        """In force, not yet, or uncertain on ``on``; ``window`` is ``versions.window``."""
        start = self.starts(counting)
        if start is not None:
            return "in_force" if on >= start else "not_yet"
        assert self.window is not None  # noqa: S101 - guaranteed by the loader's checks
        choice = window
        if on < self.window.earliest:
            return "not_yet"
        if on >= self.window.latest:
            return "in_force"
        if choice == "assume-earliest":
            return "in_force"
        if choice == "assume-latest":
            return "not_yet"
        return "uncertain"

    def in_window(self, on: dt.date) -> bool:
        w = self.window
        return self.effective_from is None and w is not None and w.earliest <= on < w.latest


class LoadedSpec:
    """A regulation spec, loaded and checked: its versions, text on any date, interpretations,
    facts and compiled rules. ``Regulation`` adds evaluation; create one with
    ``load``."""

    def __init__(
        self,
        document: SpecDocument,
        *,
        file: str,
        content_hash: str,
        versions: tuple[Version, ...],
        snapshots: tuple[tuple[Provision, ...], ...],
        warnings: tuple[SpecIssue, ...] = (),
        locations: Mapping[DocPath, tuple[int, int]]
        | Callable[[], Mapping[DocPath, tuple[int, int]]]
        | None = None,
        rulebook: Rulebook | None = None,
        facts: FactsModel | None = None,
        events: Events | None = None,
        bindings: Bindings | None = None,
    ) -> None:
        self.document = document
        self.file = file
        self.content_hash = content_hash
        self.versions = versions
        self._snapshots = snapshots
        self._indexes = [{p.id: p for p in snap} for snap in snapshots]
        self._indices_cache: dict[tuple[dt.date, str, str], tuple[int, int | None]] = {}
        if rulebook is None or facts is None:
            raise AttestRulesError("a regulation is made by attest_rules.load")
        self.rulebook = rulebook
        self.facts = facts
        self.events = events  # what the live monitor accepts and watches, if the spec says
        self.warnings = warnings
        self._locations = locations  # where each part of the spec stood; made when first asked
        self.acts: dict[str, Act] = {a.id: a for a in document.acts}
        self.interpretations: dict[str, Interpretation] = {
            i.id: i for i in document.interpretations
        }
        self.restorations: tuple[Restoration, ...] = tuple(document.restorations)
        # read-only: an evaluator keeps what it compiled for the defaults
        self.defaults: Mapping[str, str] = MappingProxyType(
            {i.id: i.default.id for i in document.interpretations}
        )
        self.bindings = bindings or Bindings(document.interpretations)

    @property
    def locations(self) -> dict[DocPath, tuple[int, int]]:
        """Where each part of the spec stood in its file: (line, column) by path."""
        found = self._locations
        if not isinstance(found, dict):  # made the first time it is asked for, then kept
            found = self._locations = dict((found() if callable(found) else found) or {})
        return found

    @property
    def id(self) -> str:
        return self.document.id

    def version(self, version_id: str) -> Version:
        for v in self.versions:
            if v.id == version_id:
                return v
        raise AttestRulesError(f"no version {version_id!r}")

    def snapshot(self, version_id: str) -> tuple[Provision, ...]:
        """The whole text as consolidated up to and including ``version_id``."""
        return self._snapshots[self.version(version_id).index]

    def provision_index(self, version_id: str) -> Mapping[str, Provision]:
        """Provision id → provision, in the text consolidated up to ``version_id``."""
        return self._indexes[self.version(version_id).index]

    def version_indices(self, day: dt.date, choices: Mapping[str, str]) -> tuple[int, int | None]:
        """The snapshot in force on ``day`` and, inside an effective-date window under
        ``report-both``, the snapshot with the uncertain amendment(s) applied."""
        counting = self.bindings.value(AFTER_PUBLICATION, choices)
        window = self.bindings.value(WINDOW, choices)
        key = (day, window, counting)
        cached = self._indices_cache.get(key)
        if cached is not None:
            return cached
        if len(self._indices_cache) > 1 << 16:  # bounded: a batch runs in constant memory
            self._indices_cache.clear()
        result = self._version_indices(day, counting, window)
        self._indices_cache[key] = result
        return result

    def _version_indices(self, day: dt.date, counting: str, window: str) -> tuple[int, int | None]:
        statuses = [v.status_on(day, counting, window) for v in self.versions]
        certain = 0
        while certain < len(statuses) and statuses[certain] == "in_force":
            certain += 1
        if certain == 0:
            first = self.versions[0].starts(counting)
            since = first.isoformat() if first else msg("an unknown date")
            raise AttestRulesError(
                msg(
                    "the regulation was not in force on {day} (in force from {since})",
                    day=day.isoformat(),
                    since=since,
                )
            )
        pending = certain
        while pending < len(statuses) and statuses[pending] != "not_yet":
            pending += 1
        return certain - 1, (pending - 1 if pending > certain else None)

    def choices(self, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
        """The interpretive choices in effect: the spec's defaults with ``overrides`` applied."""
        chosen = dict(self.defaults)
        for key, value in (overrides or {}).items():
            interp = self.interpretations.get(key)
            if interp is None:
                known = ", ".join(sorted(self.interpretations))
                raise AttestRulesError(f"unknown interpretation {key!r}; known: {known}")
            allowed = [interp.default.id, *(a.id for a in interp.alternatives)]
            if value not in allowed:
                raise AttestRulesError(
                    f"interpretation {key!r} has no choice {value!r}; choose one of "
                    f"{', '.join(allowed)}"
                )
            chosen[key] = value
        return chosen

    def as_of(
        self, on: dt.date | str, interpretations: Mapping[str, str] | None = None
    ) -> Consolidated:
        """The regulation as in force on ``on`` (a date or ``YYYY-MM-DD``)."""
        day = as_date(on)
        choices = self.choices(interpretations)
        primary, alternative_index = self.version_indices(day, choices)
        certain = primary + 1
        pending = (alternative_index + 1) if alternative_index is not None else certain
        applied = tuple(v.id for v in self.versions[:certain])
        relevant = {k: v for k, v in choices.items() if k in self.bindings.interpretations}
        window = self.bindings.value(WINDOW, choices)
        assumed = next(
            (window for v in self.versions if v.in_window(day) and window != "report-both"),
            None,
        )
        reading = partial(
            Consolidated,
            day,
            applied[-1],
            applied,
            self._snapshots[certain - 1],
            interpretations=relevant,
        )
        if pending == certain:
            return reading(assumed=assumed)
        later = tuple(v.id for v in self.versions[certain:pending])
        alternative = Consolidated(
            day,
            later[-1],
            applied + later,
            self._snapshots[pending - 1],
            uncertain=True,
            uncertain_versions=later,
            interpretations=relevant,
        )
        return reading(uncertain=True, uncertain_versions=later, alternative=alternative)

    def diff(
        self,
        d1: dt.date | str,
        d2: dt.date | str,
        interpretations: Mapping[str, str] | None = None,
    ) -> list[Change]:
        """What changed between the text in force on ``d1`` and on ``d2``."""
        from attest_rules.spec.diff import diff_consolidated  # only `diff` and `impact` ask

        return diff_consolidated(self.as_of(d1, interpretations), self.as_of(d2, interpretations))


def as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise AttestRulesError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_versions(
    doc: SpecDocument, bindings: Bindings
) -> tuple[tuple[Version, ...], list[tuple[DocPath, str]]]:
    """Versions in spec order with their effective dates; problems as (path, message)."""
    problems: list[tuple[DocPath, str]] = []
    acts = {a.id: a for a in doc.acts}
    defaults = {i.id: i.default.id for i in doc.interpretations}
    counting = bindings.value(AFTER_PUBLICATION, defaults)
    out: list[Version] = []
    for i, spec in enumerate(doc.versions):
        path: DocPath = ("versions", i)
        act = acts.get(spec.act)
        if act is None:
            problems.append(((*path, "act"), f"no act {spec.act!r} under acts"))
            continue
        window = published = term = None
        start = spec.effective_from
        if (spec.effective_from is None) == (spec.effective is None):
            problems.append((path, "give exactly one of effective_from and effective"))
            continue
        if spec.effective is not None:
            eff = spec.effective
            try:
                term = Term.parse(eff.after_publication)
            except TermError as exc:
                problems.append(((*path, "effective", "after_publication"), str(exc)))
                continue
            soonest = effective_after_publication(act.signed_on, term, counting)
            published = eff.published_on
            if published is not None:
                if published < act.signed_on:
                    problems.append(
                        (
                            (*path, "effective", "published_on"),
                            f"published {published} before it was signed ({act.signed_on})",
                        )
                    )
                start = effective_after_publication(published, term, counting)
            elif eff.window is None:
                problems.append(
                    (
                        (*path, "effective"),
                        "published_on is null: give a window of possible effective dates",
                    )
                )
                continue
            else:
                window = eff.window
                if window.earliest > window.latest:
                    problems.append(
                        (
                            (*path, "effective", "window", "latest"),
                            f"latest {window.latest} is before earliest {window.earliest}",
                        )
                    )
                if window.earliest < soonest:
                    problems.append(
                        (
                            (*path, "effective", "window", "earliest"),
                            f"earliest {window.earliest} is impossible: signed on "
                            f"{act.signed_on}, it cannot be in force before {soonest}",
                        )
                    )
        out.append(
            Version(
                spec.id,
                spec.title,
                act,
                len(out),
                start,
                window,
                published,
                term,
                tuple(spec.changes),
            )
        )
    return tuple(out), problems


def build_snapshots(
    doc: SpecDocument, versions: tuple[Version, ...]
) -> tuple[tuple[tuple[Provision, ...], ...], list[tuple[DocPath, str]]]:
    """One frozen snapshot per version; problems as (path, message)."""
    problems: list[tuple[DocPath, str]] = []
    if not versions:
        return (), problems
    tree = Tree.from_base(list(doc.provisions), versions[0].id)
    snapshots = [tree.freeze()]
    spec_index = {v.id: i for i, v in enumerate(doc.versions)}
    if versions[0].changes:
        problems.append(
            (
                ("versions", spec_index[versions[0].id], "changes"),
                "the first version is the base text: its wording goes under "
                "provisions, not changes",
            )
        )
    for version in versions[1:]:
        tree = tree.copy()
        for j, op in enumerate(version.changes):
            problem = tree.apply(op, version.id)
            if problem is not None:
                field, message = problem
                problems.append(
                    (("versions", spec_index[version.id], "changes", j, field), message)
                )
        snapshots.append(tree.freeze())
    return tuple(snapshots), problems

"""What would decide an undetermined answer: the missing facts that change it, and two
witnesses (``evaluate --explain``).

A **completion** gives values to an answer's missing facts (and to any fact the answer then
reads that is still unknown) until the answer is determined. Two completions with different
answers are **witnesses** that the facts leave it open. A missing fact is shown **deciding**
where two completions that differ in it alone give different answers. Every completion is
evaluated through the reference closures, is checked against the facts' constraints first, and
the two witnesses shown are evaluated once more as whole cases, through the same path as
``evaluate``: a witness that did not give its answer is never shown.

The search is generic: it reads nothing of a regulation but the facts model's types (a yes/no
fact is tried both ways, an enum each value, a date the case's own dates and days around them
within the bounds the constraints give, a list empty and as the case's lists) and the texts the
rules compare with. Where two dates of one fact give different answers, it halves the days
between them to the two days on which the answer changes. It stops after
``MAX_EVALUATIONS``; where it found no two answers it says so, and shows nothing it did not
evaluate. It is a search, not a proof: a fact it does not show deciding may still decide.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from dateutil.relativedelta import relativedelta

from attest_rules.engine.evaluator import Evaluator
from attest_rules.engine.results import STATUS_WORDS, Answer, Explanation, Witness
from attest_rules.errors import AttestRulesError
from attest_rules.lang.display import shown_plain
from attest_rules.lang.syntax import NONE
from attest_rules.lang.types import BOOL, DATE, INT, STR, Enum, ListOf, Record, may_be_none, type_at
from attest_rules.legal_time import FIRST_DAY, LAST_DAY
from attest_rules.messages import localise, msg, tr
from attest_rules.spec.facts import CaseModel
from attest_rules.spec.regulation import LoadedSpec

MAX_EVALUATIONS = 400  # completions evaluated for one answer, at most
_MOST_CANDIDATES = 40  # values tried for one fact
_STEPS = (
    relativedelta(days=1),
    relativedelta(months=1),
    relativedelta(months=6),
    relativedelta(years=1),
    relativedelta(years=3),
    relativedelta(years=10),
)

Result = tuple[str, str | None]  # status, outcome
_FRESH = tuple(f"X{i}" for i in range(1, 8))  # names no case gave, for a text or a list of them


def explain(
    evaluator: Evaluator,
    case: CaseModel,
    answers: list[Answer],
    on: dt.date | None = None,
    interpretations: Mapping[str, str] | None = None,
    budget: int = MAX_EVALUATIONS,
    lang: str = "en",
) -> list[Explanation]:
    """An ``Explanation`` for each undetermined answer of ``case``, its note in ``lang``."""
    out = []
    for answer in answers:
        if answer.status == "undetermined":
            search = _Search(evaluator, case, answer.question, on, interpretations, budget)
            found = search.run(answer)
            found.note = localise(found.note, lang)
            out.append(found)
    return out


class _Search:
    def __init__(
        self,
        evaluator: Evaluator,
        case: CaseModel,
        question: str,
        on: dt.date | None,
        interpretations: Mapping[str, str] | None,
        budget: int,
    ) -> None:
        self.ev = evaluator
        self.reg = evaluator.reg
        self.case = case
        self.facts = case.model_dump()
        self.q = question
        self.on = on
        self.overrides = dict(interpretations or {})
        self.choices = self.reg.choices(self.overrides)
        self.budget = budget
        self.spent = 0
        self.record: Record = self.reg.facts.record
        self.bounds = self.reg.facts.bounds(self.facts)
        self._candidates: dict[str, list[Any]] = {}
        self.texts = _texts(self.facts) | _rule_texts(self.reg, question)
        self.lists = _lists(self.facts)
        self.dates = sorted({*_dates(self.facts), *([on] if on else [])})

    # ---- the search -----------------------------------------------------------------------

    def run(self, answer: Answer) -> Explanation:
        missing = [m for m in answer.missing if "[]" not in m]
        if not missing:
            return self._done(
                [], None, "no fact decides it: " + "; ".join(answer.reasons or ["undetermined"])
            )
        found: dict[Result, dict[str, Any]] = {}
        deciding: list[str] = []
        pair: tuple[dict[str, Any], dict[str, Any]] | None = None
        base = self._complete({})
        if base is not None:
            found.setdefault(base[1], base[0])
        for path in missing:  # each fact alone, the others as the first completion has them
            seen: list[tuple[dict[str, Any], Result]] = []
            for value in self.candidates(path):
                if self.spent >= self.budget:
                    break
                done = self._complete({path: value})
                if done is None:
                    continue
                seen.append(done)
                found.setdefault(done[1], done[0])
            flip = _last_flip(seen)
            if flip is not None:
                deciding.append(path)
                if pair is None:
                    pair = self._refine(path, *self._aligned(*flip))
        if pair is None:  # no fact alone: several at once, then walk from one to the other
            for combo in self._combinations(missing):
                if len(found) >= 2 or self.spent >= self.budget:
                    break
                done = self._complete(combo)
                if done is not None:
                    found.setdefault(done[1], done[0])
        if pair is None and len(found) >= 2:
            first, second = list(found.values())[:2]
            pair = self._walk(first, second, deciding)
        if pair is None:
            if len(found) == 1:
                note = msg(
                    "every completion tried gives {result} ({n} evaluated); other values may "
                    "still decide it",
                    result=_shown(next(iter(found))),
                    n=self.spent,
                )
            else:
                note = msg(
                    "no completion that the constraints allow was found ({n} evaluated); other "
                    "values may still decide it",
                    n=self.spent,
                )
            return self._done(deciding, None, note)
        return self._done(deciding, pair, "")

    def _done(
        self,
        deciding: list[str],
        pair: tuple[dict[str, Any], dict[str, Any]] | None,
        note: str,
    ) -> Explanation:
        witnesses: list[Witness] = []
        if pair is not None:
            witnesses = self._verified(*pair)
            if not witnesses:  # never shown unless evaluated as a whole case
                note = msg("the witnesses found did not hold when evaluated as cases")
            elif not note:
                note = _contrast(*pair, witnesses)
        return Explanation(
            question=self.q,
            deciding=sorted(dict.fromkeys(deciding)),
            witnesses=witnesses,
            note=note,
            evaluations=self.spent,
        )

    def _aligned(
        self, a: dict[str, Any], b: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Two completions that differ in one fact, each given the facts the other needed too
        (their answers do not change: an answer once determined stays so as facts are added),
        where the constraints allow it; else as they were."""
        wide_a, wide_b = {**b, **a}, {**a, **b}
        if self._result(wide_a) == self._result(a) and self._result(wide_b) == self._result(b):
            return wide_a, wide_b
        return a, b

    def _refine(
        self, path: str, a: dict[str, Any], b: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Two completions that differ in ``path`` alone: for a date, halved to the two days
        on which the answer changes."""
        lo, hi = a[path], b[path]
        if not isinstance(lo, dt.date) or not isinstance(hi, dt.date):
            return a, b
        if lo > hi:
            a, b, lo, hi = b, a, hi, lo
        first = self._result(a)
        while (hi - lo).days > 1 and self.spent < self.budget:
            mid = lo + (hi - lo) / 2
            probe = {**a, path: mid}
            got = self._result(probe)
            if got is None:
                break
            if got == first:
                a, lo = probe, mid
            else:
                b, hi = probe, mid
        return a, b

    def _walk(
        self, a: dict[str, Any], b: dict[str, Any], deciding: list[str]
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """From completion ``a`` to ``b`` one fact at a time: where the answer changes, two
        completions that differ in that fact alone."""
        current = dict(a)
        for path in sorted(set(a) | set(b)):
            if path not in b or a.get(path) == b[path]:
                continue
            step = {**current, path: b[path]}
            before, after = self._result(current), self._result(step)
            if after is None:
                continue
            if before is not None and after != before:
                deciding.append(path)
                return self._refine(path, *self._aligned(current, step))
            current = step
        return None

    def _combinations(self, missing: list[str]) -> Iterator[dict[str, Any]]:
        """Two or more facts changed at once, their candidates in step (all first, all
        second...), then pairs of facts."""
        lists = [self.candidates(p) for p in missing]
        for i in range(max((len(v) for v in lists), default=0)):
            yield {p: v[min(i, len(v) - 1)] for p, v in zip(missing, lists, strict=True) if v}
        for p, r in itertools.combinations(missing, 2):
            for x, y in itertools.product(self.candidates(p)[:6], self.candidates(r)[:6]):
                yield {p: x, r: y}

    # ---- evaluating a completion ----------------------------------------------------------

    def _apply(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The case's facts with ``values`` set (``apply``): in the form the facts model
        gives, a record a value opens holding each of its fields, unknown but the value's."""
        return apply(self.facts, values, self._blank)

    def _blank(self, path: str) -> dict[str, Any]:
        """The record at ``path`` as the facts model gives one given empty: every field
        unknown."""
        kind = type_at(self.record, path)
        return {name: None for name, _ in kind.fields} if isinstance(kind, Record) else {}

    def _consistent(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The case's facts with ``values`` added, where they contradict none of its
        constraints (else no real case could have them): by the generated check, as a case
        read is checked (the facts are in the model's form, every field of a record there)."""
        facts = self._apply(values)
        return None if self.reg.facts.problems(facts) else facts

    def _answer(
        self, values: Mapping[str, Any], checked: dict[str, Any] | None = None
    ) -> Answer | None:
        """The answer with ``values`` added to the case's facts (``checked``: those facts,
        already found consistent); None where they contradict its constraints."""
        self.spent += 1
        facts = checked if checked is not None else self._consistent(values)
        if facts is None:
            return None
        try:
            return self.ev.answer(self.q, facts, self.on, self.choices)
        except AttestRulesError:
            return None

    def _result(self, values: Mapping[str, Any]) -> Result | None:
        answer = self._answer(values)
        if answer is None or not _settled(answer):
            return None
        return answer.status, answer.outcome

    def _complete(self, given: Mapping[str, Any]) -> tuple[dict[str, Any], Result] | None:
        """``given``, and a first value the constraints allow for each fact the answer still
        misses, one at a time, until it is determined; None where it cannot be (the
        constraints, or the budget)."""
        values = dict(given)
        checked: dict[str, Any] | None = None  # the facts of ``values``, found consistent
        for _ in range(16):
            if self.spent >= self.budget:
                return None
            answer = self._answer(values, checked)
            if answer is None:
                return None
            if _settled(answer):
                return values, (answer.status, answer.outcome)
            more = [m for m in answer.missing if m not in values and "[]" not in m]
            if not more:
                return None
            for value in self.candidates(more[0]):
                trial = {**values, more[0]: value}
                checked = self._consistent(trial)
                if checked is not None:
                    values = trial
                    break
            else:
                return None
        return None

    def _verified(self, a: dict[str, Any], b: dict[str, Any]) -> list[Witness]:
        """The two completions as witnesses, each evaluated again as a whole case through the
        facts model (its types and constraints) and ``evaluate``; none unless both give the
        answer found and the answers differ."""
        out = []
        for values in (a, b):
            facts = _json(self._apply(values))
            try:
                case = self.reg.facts.parse(facts, "a witness")
                found = self.ev.evaluate(case, self.on, self.overrides).answer(self.q)
            except AttestRulesError:
                return []
            if not _settled(found) or (found.status, found.outcome) != self._result(values):
                return []
            shown = {p: _json(v) for p, v in sorted(values.items())}
            out.append(Witness(facts=shown, status=found.status, outcome=found.outcome))
        if (out[0].status, out[0].outcome) == (out[1].status, out[1].outcome):
            return []
        return out

    # ---- candidates -----------------------------------------------------------------------

    def candidates(self, path: str) -> list[Any]:
        found = self._candidates.get(path)
        if found is None:
            found = self._candidates[path] = self._make(path)[:_MOST_CANDIDATES]
        return found

    def _make(self, path: str) -> list[Any]:
        kind = type_at(self.record, path)
        none = [NONE] if may_be_none(self.record, path) else []
        if kind == BOOL:
            return [False, True]
        if isinstance(kind, Enum):
            values = sorted(kind.values)
            if len(values) > 12:  # a standard's codes: those the rules name, and one other
                named = sorted(v for v in self.texts if v in kind.values)
                values = [*named, *[v for v in values if v not in named][:1]]
            return [*values, *none]
        if kind == STR:
            return [*sorted(self.texts)[:10], *none, *_FRESH]
        if kind == INT:
            return [0, 1, 2, 5, 10, 100]
        if kind == DATE:
            return self._days(path)
        if isinstance(kind, ListOf):
            return self._list_values(kind)
        return []

    def _days(self, path: str) -> list[dt.date]:
        """The case's own dates, then the days one step from each (a day, a month, six
        months, a year, three, ten: the terms rules count), within the bounds the constraints
        give; the nearest first where there are more than a search tries, then in order."""
        low, high = self.bounds.get(path, (None, None))
        low, high = low or FIRST_DAY, high or LAST_DAY
        anchors = self.dates or [dt.date(2025, 1, 1)]
        tiers = [anchors] + [
            [_moved(d, k * step) for d in anchors for k in (-1, 1)] for step in _STEPS
        ]
        chosen: dict[dt.date, None] = {}
        for tier in tiers:
            for day in tier:
                if day is not None and low <= day <= high and len(chosen) < _MOST_CANDIDATES:
                    chosen[day] = None
        if not chosen:
            chosen[low if low != FIRST_DAY else high] = None
        return sorted(chosen)

    def _list_values(self, kind: ListOf) -> list[Any]:
        item = kind.item
        out: list[Any] = [[]]
        if item == STR or isinstance(item, Enum):
            out += [list(v) for v in self.lists]
            if item == STR:  # new names, as many as a rule may count, alone or added
                out += [list(_FRESH[:n]) for n in (1, 3, 5, 7)]
                known = [*self.lists, tuple(sorted(self.texts))]
                out += [[*v, *_FRESH[:n]] for v in known if v for n in (1, 3, 5)]
            if isinstance(item, Enum):
                out += [[v] for v in sorted(item.values)]
            return out
        if isinstance(item, Record):
            texts = [n for n, t in item.fields if t == STR]
            enums = [(n, t) for n, t in item.fields if isinstance(t, Enum)]
            for names in [*self.lists, *(_FRESH[:n] for n in (1, 3, 5, 7))]:
                if texts and enums:
                    name, enum = enums[0]
                    for value in sorted(enum.values):
                        out.append(
                            [{texts[0]: n, name: value, **_firsts(enums[1:])} for n in names]
                        )
        return out


def _moved(day: dt.date, step: relativedelta) -> dt.date | None:
    """``day`` moved by ``step``; None past the calendar's ends."""
    try:
        moved: dt.date = day + step
    except (OverflowError, ValueError):
        return None
    return moved


def _settled(answer: Answer) -> bool:
    """Whether no more facts would change ``answer``: it is determined, or undetermined for a
    reason no fact decides (the wording of the version in force is not known)."""
    return answer.status != "undetermined" or not answer.missing


def _firsts(enums: list[tuple[str, Enum]]) -> dict[str, str]:
    return {name: sorted(kind.values)[0] for name, kind in enums}


def _last_flip(
    seen: list[tuple[dict[str, Any], Result]],
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Two neighbouring completions (in the order tried) with different answers: the last
    such, for dates the change nearest the case's latest dates."""
    found = None
    for (a, ra), (b, rb) in itertools.pairwise(seen):
        if ra != rb:
            found = a, b
    return found


def _nodes(facts: Any) -> Iterator[Any]:
    """Every value in a case's facts, records and lists and what they hold, but its id."""
    stack = [facts]
    while stack:
        value = stack.pop()
        yield value
        if isinstance(value, Mapping):
            stack.extend(v for k, v in value.items() if k != "id")
        elif isinstance(value, list):
            stack.extend(value)


def _texts(facts: Any) -> set[str]:
    return {v for v in _nodes(facts) if isinstance(v, str) and v != NONE}


def _rule_texts(reg: LoadedSpec, question: str) -> set[str]:
    """Every text literal the question's rules compare with (what an enum or a text may need
    to be for one outcome or another)."""
    found: set[str] = set()
    for table in reg.rulebook.by_version.values():
        rule = table.get(question)
        for expr in rule.expressions() if rule is not None else ():
            found.update(
                n.args[0] for n in expr.node.walk() if n.op == "lit" and n.args[1] == "str"
            )
    return found


def _lists(facts: Any) -> list[tuple[str, ...]]:
    """The lists of texts the case gives (of its records' items, each text field's values
    too: the voters of the votes), and all its texts but one (everyone but the secretary)."""
    out: dict[tuple[str, ...], None] = {}
    for value in _nodes(facts):
        if not isinstance(value, list) or not value:
            continue
        if all(isinstance(v, str) for v in value):
            out[tuple(value)] = None
            continue
        items = [v for v in value if isinstance(v, Mapping)]
        for key in dict.fromkeys(k for v in items for k in v):
            texts = [v[key] for v in items if isinstance(v.get(key), str)]
            if texts and len(texts) == len(items):
                out[tuple(texts)] = None
    names = sorted(_texts(facts))
    for name in names:
        out[tuple(n for n in names if n != name)] = None
    return [v for v in out if v]


def _dates(facts: Any) -> Iterator[dt.date]:
    return (v for v in _nodes(facts) if isinstance(v, dt.date))


def apply(
    facts: Mapping[str, Any],
    values: Mapping[str, Any],
    blank: Callable[[str], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``facts`` with each dotted path of ``values`` set to its value, as a deep copy with the
    values set gives it; a record on a path that is none is opened as ``blank`` gives it for
    its path (empty without). Only the records on a path are copied; the rest is shared with
    ``facts``, which is not changed (a search sets values thousands of times on a case, which
    nothing changes in place: a deep copy each time was most of ``evaluate --explain``'s
    time)."""
    out = dict(facts)
    fresh = {id(out)}  # the records made for this call, which may be written
    for path, value in values.items():
        *heads, last = path.split(".")
        node = out
        for depth, name in enumerate(heads):
            child = node.get(name)
            if child is None:
                child = {} if blank is None else blank(".".join(heads[: depth + 1]))
            elif id(child) in fresh:
                node = child
                continue
            else:
                child = dict(child)
            fresh.add(id(child))
            node[name] = child
            node = child
        node[last] = value
    return out


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


class _Status(str):
    """A status as a note names it: its id in English, its word in another language."""

    def localised(self, lang: str) -> str:
        return tr(lang, STATUS_WORDS[str(self)])


class _Value(str):
    """A fact's value as a note shows it: as Python writes it in English, a yes, a no or
    nothing in the reader's words in another language."""

    value: Any

    def __new__(cls, value: Any) -> _Value:
        text = super().__new__(cls, str(value))
        text.value = value
        return text

    def localised(self, lang: str) -> str:
        return shown_plain(self.value, lang)


def _shown(result: Result) -> str:
    status, outcome = result
    said = _Status(status)
    return msg("{status} ({outcome})", status=said, outcome=outcome) if outcome else said


def _contrast(a: dict[str, Any], b: dict[str, Any], witnesses: list[Witness]) -> str:
    """What changes between the two witnesses, in a sentence."""
    differ = [p for p in sorted(set(a) | set(b)) if a.get(p) != b.get(p)]
    sides = [_shown((w.status, w.outcome)) for w in witnesses]
    if len(differ) == 1:
        p = differ[0]
        x, y = a.get(p), b.get(p)
        said = {
            "fact": p,
            "x": _Value(_json(x)),
            "y": _Value(_json(y)),
            "a": sides[0],
            "b": sides[1],
        }
        if isinstance(x, dt.date) and isinstance(y, dt.date) and abs((y - x).days) == 1:
            return msg(
                "{fact} = {x} gives {a}; {fact} = {y} gives {b}: the answer changes between "
                "these two days",
                **said,
            )
        return msg("{fact} = {x} gives {a}; {fact} = {y} gives {b}", **said)
    return msg(
        "the witnesses differ in {facts}: one gives {a}, the other {b}",
        facts=", ".join(differ),
        a=sides[0],
        b=sides[1],
    )

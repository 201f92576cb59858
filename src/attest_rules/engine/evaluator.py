"""Evaluating a case: every question the Rules settle, each under the version in force on its
own event date (or on ``on``), inside an effective-date window under both versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from attest_rules.engine.core import (
    Selection,
    across_versions,
    agreed,
    decide,
    possible_versions,
    rule_selected,
    select,
)
from attest_rules.engine.plans import Plan, Specialised
from attest_rules.engine.results import (
    STATUS_WORDS,
    Answer,
    Citation,
    DateReason,
    Evaluation,
    Inputs,
    Lang,
    Status,
)
from attest_rules.errors import AttestRulesError
from attest_rules.lang.codegen import WARM_UP, Unknown
from attest_rules.lang.display import fill, plain, shown
from attest_rules.lang.interpreter import Env
from attest_rules.legal_time import ComputedDate, WorkingCalendar, kz_calendar
from attest_rules.messages import localise, tr
from attest_rules.spec.bindings import UNKNOWN_DATE
from attest_rules.spec.consolidation import Provision
from attest_rules.spec.facts import CaseBounds, CaseModel
from attest_rules.spec.model import OutcomeSpec, said_in
from attest_rules.spec.rulebook import CompiledRule
from attest_rules.version import __version__

if TYPE_CHECKING:
    from attest_rules.spec.regulation import LoadedSpec as Regulation


def citation(p: Provision) -> Citation:
    """Cite ``p`` in the wording (and so the version) it has."""
    return Citation(
        provision_id=p.id,
        number=p.number,
        kind=p.kind,
        version=p.version,
        text_kk=p.text["kk"] if p.text is not None else None,
        anchor=p.id.replace(".", "-"),
        href=f"regulation/{p.version}/#{p.id.replace('.', '-')}",
    )


class Evaluator:
    """Evaluates cases against one loaded regulation."""

    def __init__(
        self,
        reg: Regulation,
        calendar: WorkingCalendar | None = None,
        *,
        reference: bool = False,
        warm_up: int = WARM_UP,
    ) -> None:
        """``reference``: answer through the three-valued closures only, never through
        generated code. Slower; it is what the generated code is held to in the tests.
        ``warm_up``: the first evaluations (``evaluate``) answered through the closures, before
        any traced rule is generated: for one case, generating and compiling its rules costs
        more than the closures (16 against 1 ms), and both answer alike. 0: generated code
        from the first case (what the tests that hold the two to each other use)."""
        self.reg = reg
        self.reference = reference
        self.warm_up = warm_up
        self._evaluated = 0  # cases evaluated (a count read without a lock: a few more or
        # fewer through the closures changes no answer)
        self._closures: Evaluator | None = None  # the warm-up's: reference=True
        self.book = reg.rulebook
        self.calendar = calendar or kz_calendar()
        self._specialised: dict[tuple[tuple[tuple[str, str], ...], str], Specialised] = {}
        self._last: Specialised | None = None  # the one used last: a batch keeps its choices
        self._defaults: Specialised | None = None  # the one for the spec's defaults (read-only)
        self._slow = self._decide_slowly  # the answers-only driver's fallback, bound once
        self._case_bounds: tuple[Mapping[str, Any], CaseBounds] | None = None
        self._cite_cache: dict[tuple[str, tuple[str, ...]], list[Citation]] = {}
        self._date_cache: dict[
            tuple[str, int, int, str], tuple[ComputedDate, Mapping[str, str], DateReason]
        ] = {}

    def evaluate(
        self,
        case: CaseModel | Mapping[str, Any],
        on: dt.date | None = None,
        interpretations: Mapping[str, str] | None = None,
        lang: Lang = "en",
    ) -> Evaluation:
        """Every answer for ``case``, each under the version in force on its own event date
        (or on ``on``), with ``interpretations`` switched for this call: the decision record.
        Titles and reasons are in ``lang`` (kk, ru or en), the library's wording."""
        if self._evaluated < self.warm_up and not self.reference:  # see WARM_UP
            self._evaluated += 1
            if self._closures is None:
                self._closures = Evaluator(self.reg, self.calendar, reference=True)
            return self._closures.evaluate(case, on, interpretations, lang)
        model = self.reg.facts.model
        parsed = case if isinstance(case, model) else self.reg.facts.parse(case)
        overrides = dict(interpretations or {})
        choices = self.reg.choices(overrides)
        facts = self.reg.facts.facts_of(parsed)
        self._case_bounds = None  # a new case: its facts' bounds are computed afresh
        answers = self._answers(self._for(choices, lang), facts, on)
        return Evaluation(
            library_version=__version__,
            spec_id=self.reg.id,
            spec_hash=self.reg.content_hash,
            spec_version=self.reg.document.version,
            case_id=parsed.id,
            inputs=Inputs(
                case=parsed,
                on=on,
                interpretations=overrides,
                lang=lang,
            ),
            interpretations=choices,
            overridden=sorted(overrides),
            answers=answers,
        )

    def _answers(
        self, sp: Specialised, facts: Mapping[str, Any], on: dt.date | None
    ) -> list[Answer]:
        """Every answer of a case. The event days and gates come from generated code; a
        question whose day is unknown and whose gate does not say it did not happen goes
        through the closures (``_question``), which say what is missing."""
        if self.reference:
            return [self._question(q, facts, sp, on) for q in self.book.questions]
        selection, plans, traced = sp.version_of.selection, sp.plans, self._traced
        # each distinct event's day and selection (the versions in force on it), found once a
        # case, not once a question: None where its day is not known
        known: list[tuple[dt.date, Selection] | None] | tuple[tuple[dt.date, Selection], ...]
        if on is not None:
            known = ((on, selection(on)),) * sp.event_count
        else:
            try:
                days = sp.events(facts, sp.choices, self.calendar, sp.readings)
            except AttestRulesError:
                days = (None,) * sp.event_count
            known = [None if day is None else (day, selection(day)) for day in days]
        out: list[Answer] = []
        gates: tuple[Any, ...] | None = None
        for n, (q, event) in enumerate(sp.questions):
            found = known[event]
            if found is not None:
                day, sel = found
                versions = sel.versions
                if versions is None or versions[1] is not None:  # not in force, or a window
                    out.append(self._on(q, sel, facts, sp))
                    continue
                # the version in force alone (as _on gives it), most answers: its plan at once
                plan = plans[versions[0]][q]
                answer = traced(plan, facts, sp, day) if plan is not None else None
                if answer is None:
                    answer = self._in_version(q, versions[0], facts, sp, day, tried=True)
                out.append(answer)
                continue
            if gates is None:
                try:
                    gates = sp.gates(facts, sp.choices, self.calendar, sp.readings)
                except AttestRulesError:
                    gates = (None,) * len(sp.questions)
            if gates[n] is False:  # the event did not happen: as _question would answer
                # positionally, in Answer's field order (see _traced)
                out.append(
                    Answer(q, sp.titles[q], "not_applicable", None, {}, [], [sp.did_not_happen[n]])
                )
            else:
                out.append(self._question(q, facts, sp, on))
        return out

    def _traced(
        self, plan: Plan, facts: Mapping[str, Any], sp: Specialised, day: dt.date
    ) -> Answer | None:
        """The answer of ``plan``'s question from its generated rule; None where a fact the rule
        reads is unknown (or legal time cannot compute a date), for the closures to answer."""
        if plan.run is None:  # the wording is not known: nothing to compute
            return _unreached(plan, "undetermined", day)
        try:
            k, values, reasons, dates, extra = plan.run(
                facts, sp.choices, self.calendar, sp.readings
            )
        except (Unknown, AttestRulesError):
            return None
        if values is None:
            return _unreached(plan, "not_applicable", day)
        o = plan.outcomes[k]
        # positionally, in Answer's field order (half the time of keywords, ~20 times a case):
        # question, title, status, outcome, values, missing, reasons, dates, citations,
        # interpretations, version, event_date
        return Answer(
            plan.question,
            plan.title,
            o.status,
            o.id,
            values,
            [],
            reasons or [],
            [self._date_reason(label, c, sp.choices, sp.lang) for label, c in dates.items()]
            if dates
            else [],
            self._citations(plan.version, o.cites + extra) if extra else list(o.citations),
            plan.used.copy(),
            plan.version,
            day,
        )

    def decide_all(
        self,
        facts: Mapping[str, Any],
        on: dt.date | None = None,
        choices: Mapping[str, str] | None = None,
    ) -> dict[str, tuple[str, str | None]]:
        """Answers only: status and outcome per question, from validated facts (a
        ``Case.model_dump()``), under the version in force on each event date. The fast path
        for batches; ``evaluate`` gives the same statuses with reasons and citations.

        Each rule runs as generated straight-line code while every fact it touches is known,
        and falls back to the three-valued closures the moment one is not."""
        if choices is None:  # the defaults, the common case: no choices to compare
            sp = self._defaults
            if sp is None:
                sp = self._defaults = self._for(self.reg.defaults)
            chosen: Mapping[str, str] = sp.choices
        else:
            chosen, sp = choices, self._for(choices)
        self._case_bounds = None  # a new case: its facts' bounds are computed afresh
        try:
            versions = sp.version_of.ids
            return sp.case(facts, chosen, self.calendar, sp.readings, on, versions, self._slow)
        except AttestRulesError:  # a date legal time cannot compute: the closures say which
            return {q: self._decide_slowly(q, facts, on, chosen) for q in self.book.questions}

    def answer(
        self,
        q: str,
        facts: Mapping[str, Any],
        on: dt.date | None = None,
        choices: Mapping[str, str] | None = None,
    ) -> Answer:
        """One question's answer for validated facts (a ``Case.model_dump()``), through the
        three-valued closures, the reference semantics: with what is missing where it is
        undetermined. For a search over completions of a case's facts (``explain``)."""
        chosen = choices if choices is not None else self.reg.defaults
        self._case_bounds = None
        return self._question(q, facts, self._for(chosen), on)

    def _decide_slowly(
        self, q: str, facts: Mapping[str, Any], on: dt.date | None, chosen: Mapping[str, str]
    ) -> tuple[str, str | None]:
        """One question through the three-valued closures."""
        readings = self.reg.bindings.readings(chosen)
        bounds = self._bounds(facts)
        env = Env(facts, chosen, self.calendar, readings, bounds)
        sel = select(self.book.events[q], env, on, self._for(chosen).version_of.indices)
        possible = self._any_version(sel, chosen)
        if possible is not None:
            decisions = across_versions(
                self.book,
                self.reg,
                q,
                lambda: Env(facts, chosen, self.calendar, readings, bounds),
                possible[0],
            )
            if agreed(decisions):
                d = decisions[0][2]
                if d is None:
                    return ("not_applicable", None)
                return (d.status, d.outcome.id if d.stage == "outcome" and d.outcome else None)
        rule = rule_selected(self.book, self.reg, q, sel)
        if isinstance(rule, tuple):
            return rule
        d = decide(rule, env)  # the selector only read the event: env is still clean
        return (d.status, d.outcome.id if d.stage == "outcome" and d.outcome else None)

    def _bounds(self, facts: Mapping[str, Any]) -> CaseBounds:
        """What the facts' constraints tell of the case's unknown facts, computed when an
        unknown fact they order is first read (the closures read unknown facts with it), once
        per case: kept for the case being answered (a new call starts afresh, and the facts
        are compared by identity, so a caller's next case never reads another's)."""
        kept = self._case_bounds
        if kept is not None and kept[0] is facts:
            return kept[1]
        found = CaseBounds(self.reg.facts, facts)
        self._case_bounds = (facts, found)
        return found

    def _any_version(
        self, sel: Selection, choices: Mapping[str, str]
    ) -> tuple[list[int], bool] | None:
        """The versions the answer may come from all at once, where the date that selects the
        version is not known but the event may have happened: those that could be in force on
        it, from what is known of the date; the case is taken to fall in force of the
        regulation where the interpretation bound to ``versions.unknown_date`` says so (the
        second item: whether that was relied on). None where the answer cannot be given
        this way."""
        if sel.day is not None or sel.happened is False:
            return None

        def indices(day: dt.date) -> tuple[int, int | None]:
            return self.reg.version_indices(day, choices)

        count = len(self.reg.versions)
        shown = possible_versions(sel, indices, count, assume_in_force=False)
        if shown is not None:
            return shown, False
        if self.reg.bindings.value(UNKNOWN_DATE, choices) != "in-force":
            return None
        assumed = possible_versions(sel, indices, count, assume_in_force=True)
        return None if assumed is None else (assumed, True)

    def _citations(self, version: str, ids: tuple[str, ...]) -> list[Citation]:
        """The citations of provisions ``ids`` (in order, once each) in ``version``'s wording;
        the same (frozen) ``Citation`` objects every time, in a fresh list."""
        key = (version, ids)
        cites = self._cite_cache.get(key)
        if cites is None:
            index = self.reg.provision_index(version)
            cites = [citation(index[i]) for i in dict.fromkeys(ids) if i in index]
            self._cite_cache[key] = cites
        return list(cites)

    def _date_reason(
        self, label: str, computed: ComputedDate, choices: Mapping[str, str], lang: str
    ) -> DateReason:
        """A computed date as it goes into an answer, its steps and warnings in ``lang``, built
        once per label, date, set of choices and language (the dates themselves are remembered
        by legal time; bounded, for constant memory in a batch). The readings it relied on are
        given as the interpretations that set them, with their choices."""
        key = (label, id(computed), id(choices), lang)
        hit = self._date_cache.get(key)
        if hit is not None:
            return hit[2]
        if len(self._date_cache) > 1 << 14:
            self._date_cache.clear()
        explained = computed.explanation
        if lang == "en":  # each step's str is its English
            steps, warnings = tuple(map(str, explained.said_steps)), explained.warnings
        else:
            steps = tuple(localise(step, lang) for step in explained.said_steps)
            warnings = tuple(localise(w, lang) for w in explained.said_warnings)
        reason = DateReason(
            label=label,
            date=computed.date,
            steps=steps,
            interpretations=self.reg.bindings.interpretations_of(explained.readings, choices),
            warnings=warnings,
        )
        # holding ``computed`` and ``choices`` keeps their ids unique
        self._date_cache[key] = (computed, choices, reason)
        return reason

    def _for(self, choices: Mapping[str, str], lang: str = "en") -> Specialised:
        """What is compiled for ``choices`` and ``lang`` (the last used is checked first: cheap
        in a batch)."""
        last = self._last
        if last is not None and last.choices == choices and last.lang == lang:
            return last
        key = (tuple(sorted(choices.items())), lang)
        found = self._specialised.get(key)
        if found is None:
            found = self._specialised[key] = Specialised(
                self.reg, self.calendar, choices, self._citations, lang
            )
        self._last = found
        return found

    def _question(
        self, q: str, facts: Mapping[str, Any], sp: Specialised, on: dt.date | None
    ) -> Answer:
        title = sp.titles[q]
        selector = self.book.events[q]
        env = Env(facts, sp.choices, self.calendar, sp.readings, self._bounds(facts))
        sel = select(selector, env, on, sp.version_of.indices)
        if sel.day is not None:
            return self._on(q, sel, facts, sp)
        if sel.happened is False:
            return Answer(
                question=q,
                title=title,
                status="not_applicable",
                reasons=[selector.not_applying_in(sp.lang)],
            )
        possible = self._any_version(sel, sp.choices)
        if possible is not None:
            found = self._in_every_version(q, facts, sp, selector.event_text, *possible)
            if found is not None:
                return found
        return Answer(
            question=q,
            title=title,
            status="undetermined",
            missing=sorted(sel.missing),
            reasons=[
                tr(
                    sp.lang,
                    "the date that selects the version in force ({event}) is not known",
                    event=selector.event_text,
                )
            ],
        )

    def _in_every_version(
        self,
        q: str,
        facts: Mapping[str, Any],
        sp: Specialised,
        event_text: str,
        versions: list[int],
        assumed: bool,
    ) -> Answer | None:
        """The answer where the date that selects the version is not known but every version
        gives the same: its reasons and values (where they agree), the clauses of each version
        it rests on (once where they read the same), and the interpretation that allowed it;
        None where the versions differ."""
        decisions = across_versions(
            self.book,
            self.reg,
            q,
            lambda: Env(facts, sp.choices, self.calendar, sp.readings, self._bounds(facts)),
            versions,
        )
        if not agreed(decisions):
            return None
        answers = []
        for index, rule, _ in decisions:
            version = self.reg.versions[index].id
            if rule is None:
                return None  # no norm of some version settles it: not said for all at once
            answers.append(self._run(rule, version, facts, sp.choices, sp.lang))
        first = answers[0]
        binding = self.reg.bindings.by_parameter.get(UNKNOWN_DATE)
        considered = ", ".join(self.reg.versions[i].id for i in versions)
        cites: list[Citation] = []
        seen: set[tuple[str, str | None]] = set()
        for a in answers:
            for c in a["citations"]:
                if (c.provision_id, c.text_kk) not in seen:
                    seen.add((c.provision_id, c.text_kk))
                    cites.append(c)
        used = {k: v for a in answers for k, v in a["interpretations"].items()}
        if binding is not None and assumed:  # relied on: the date's bounds alone did not tell
            used[binding.interpretation] = sp.choices[binding.interpretation]
        same_values = all(a.get("values") == first.get("values") for a in answers)
        return Answer(
            question=q,
            title=sp.titles[q],
            status=first["status"],
            outcome=first["outcome"],
            values=first.get("values", {}) if same_values else {},
            reasons=[
                *first["reasons"],
                tr(
                    sp.lang,
                    "the date that selects the version ({event}) is not known; every version "
                    "that could be in force ({versions}) gives this answer",
                    event=event_text,
                    versions=considered,
                ),
            ],
            citations=cites,
            interpretations=dict(sorted(used.items())),
        )

    def _on(self, q: str, sel: Selection, facts: Mapping[str, Any], sp: Specialised) -> Answer:
        """The answer under the version in force on the selection's day; inside an
        effective-date window, with the answer under the other version as its alternative."""
        day = sel.day
        assert day is not None  # noqa: S101 - called with a known day
        if sel.versions is None:
            return Answer(
                question=q,
                title=sp.titles[q],
                status="not_applicable",
                event_date=day,
                reasons=[localise(sel.not_in_force or "", sp.lang)],
            )
        primary, alternative = sel.versions
        answer = self._in_version(q, primary, facts, sp, day)
        if alternative is None:
            return answer
        other = self._in_version(q, alternative, facts, sp, day)
        # both answers were built just now for this one: completed in place
        other.uncertain = answer.uncertain = True
        answer.depends_on_version = answer.key() != other.key()
        answer.alternative = other
        answer.reasons.append(
            tr(
                sp.lang,
                "{day} is inside the effective-date window of {version}; under it: {status}",
                day=day.isoformat(),
                version=other.version,
                status=(  # English names the status by its id, as records before said it
                    other.status if sp.lang == "en" else tr(sp.lang, STATUS_WORDS[other.status])
                )
                + (f" ({other.outcome})" if other.outcome else ""),
            )
        )
        return answer

    def _in_version(
        self,
        q: str,
        index: int,
        facts: Mapping[str, Any],
        sp: Specialised,
        day: dt.date,
        *,
        tried: bool = False,
    ) -> Answer:
        """The answer under version ``index``: from its traced rule, else (a fact unknown, no
        rule, or ``tried``: the traced rule already gave none) through the closures."""
        version = self.reg.versions[index]
        plan = None if self.reference or tried else sp.plans[index][q]
        if plan is not None:
            traced = self._traced(plan, facts, sp, day)
            if traced is not None:
                return traced
        title = sp.titles[q]
        base: dict[str, Any] = {
            "question": q,
            "title": title,
            "version": version.id,
            "event_date": day,
        }
        rule = self.book.by_version[version.id].get(q)
        if rule is None:
            home = self.book.homes[q]
            p = self.reg.provision_index(version.id).get(home)
            if p is not None and p.status == "repealed":
                why = tr(
                    sp.lang,
                    "{provision} was repealed by {version}; no norm in force settles this",
                    provision=home,
                    version=p.version,
                )
            else:
                why = tr(
                    sp.lang,
                    "no provision of version {version} settles this",
                    version=version.id,
                )
            cites = [citation(p)] if p is not None else []
            return Answer(**base, status="not_applicable", reasons=[why], citations=cites)
        return Answer(**base, **self._run(rule, version.id, facts, sp.choices, sp.lang))

    def _run(
        self,
        rule: CompiledRule,
        version: str,
        facts: Mapping[str, Any],
        choices: Mapping[str, str],
        lang: str = "en",
    ) -> dict[str, Any]:
        spec = rule.spec
        cite_ids = (rule.provision_id, *spec.cites)
        used = {k: choices[k] for k in sorted(rule.usage.interpretations)}
        out: dict[str, Any] = {"interpretations": used}

        def finish(
            status: str,
            reasons: list[str],
            env: Env | None = None,
            outcome: str | None = None,
            missing: frozenset[str] = frozenset(),
            more_cites: tuple[str, ...] = (),
        ) -> dict[str, Any]:
            out.update(
                status=status,
                outcome=outcome,
                reasons=reasons,
                missing=sorted(missing),
                citations=self._citations(version, (*cite_ids, *more_cites)),
            )
            if env is not None:
                out["values"] = {n: plain(env.locals.get(n)) for n in spec.values}
                out["dates"] = [
                    self._date_reason(label, c, choices, lang) for label, c in env.dates.items()
                ]
            return out

        readings = self.reg.bindings.readings(choices)
        env = Env(facts, choices, self.calendar, readings, self._bounds(facts))
        d = decide(rule, env)
        if d.stage == "unknown_wording":
            return finish("undetermined", [rule.wording_unknown_in(lang)])
        if d.stage == "applies_unknown":
            return finish(
                "undetermined",
                [
                    tr(
                        lang,
                        "whether this applies ({condition}) depends on facts not given",
                        condition=spec.applies,
                    )
                ],
                env,
                missing=d.missing,
            )
        if d.stage == "not_applicable":
            return finish("not_applicable", [rule.not_applying_in(lang)])
        outcome = d.outcome
        assert outcome is not None  # noqa: S101 - the remaining stages name an outcome
        if d.stage == "when_unknown":
            return finish(
                "undetermined",
                [
                    tr(
                        lang,
                        "cannot decide whether '{outcome}' holds ({condition}): facts are missing",
                        outcome=outcome.id,
                        condition=outcome.when,
                    )
                ],
                env,
                missing=d.missing,
            )
        return _outcome(rule, outcome, env, finish, lang)


def _unreached(plan: Plan, status: Status, day: dt.date) -> Answer:
    """The answer where ``plan``'s rule reaches no outcome: it does not apply, or its wording
    is not known. Its reason is fixed; its citations are the rule's own."""
    # positionally, in Answer's field order, as _traced builds it
    return Answer(
        plan.question,
        plan.title,
        status,
        None,
        {},
        [],
        [plan.fixed],
        [],
        list(plan.citations),
        plan.used.copy(),
        plan.version,
        day,
    )


def _outcome(
    rule: CompiledRule,
    outcome: OutcomeSpec,
    env: Env,
    finish: Callable[..., dict[str, Any]],
    lang: str,
) -> dict[str, Any]:
    """The answer where ``outcome`` holds: its reason (in ``lang``) and values filled in, its
    citations."""
    reasons = [fill(said_in(outcome.reason, lang), env.locals, lang)]
    reasons += [f"{n} = {shown(env.locals.get(n), lang)}" for n in rule.spec.values]
    extra = [c for cond, ids in rule.cite_when if cond(env) is True for c in ids]
    return finish(outcome.status, reasons, env, outcome.id, more_cites=(*outcome.cites, *extra))

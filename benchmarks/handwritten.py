"""The 21 questions answered by a plain, hand-written Python function: the practical speed limit.

It hard-codes what the spec says (for the default interpretations and complete facts), and uses
the same legal-time primitives, memoised. The benchmark checks that it gives the same answers as
the compiled evaluator on every case it times, so the comparison is between equals.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from attest_rules.legal_time import Readings, Term, deadline, earliest, kz_calendar, validity_end

CAL = kz_calendar()
AMENDED_FROM = dt.date(2024, 12, 31)  # the window's latest date: before it, the 2023 text first
IN_FORCE_FROM = dt.date(2023, 7, 1)
CATEGORIES = ("second", "first", "higher")
GOOD_REASONS = ("temporary_incapacity", "leave", "child_illness", "relative_death", "business_trip")
FIVE = [
    "written_application",
    "personnel_sheet",
    "diploma_copy",
    "work_book_copy",
    "qualification_recognition",
]
SIX = [*FIVE[:4], "certificate_copy", FIVE[4]]
Y1, Y3, M6, M3, M1 = (
    Term.parse(t) for t in ("1 year", "3 years", "6 months", "3 months", "1 month")
)
WD3, WD5, WD10 = (Term.parse(t) for t in ("3 working days", "5 working days", "10 working days"))
READINGS = Readings(not_earlier_than="last-day-of-term", year_from_29_february="february-28")


@functools.lru_cache(maxsize=1 << 16)
def _earliest(day: dt.date, term: Term) -> dt.date:
    return earliest(day, term, readings=READINGS, calendar=CAL).date


@functools.lru_cache(maxsize=1 << 16)
def _deadline(day: dt.date, term: Term, on_receipt: bool = False) -> dt.date:
    return deadline(day, term, on_receipt=on_receipt, readings=READINGS, calendar=CAL).date


@functools.lru_cache(maxsize=1 << 16)
def _validity(day: dt.date, term: Term) -> dt.date:
    return validity_end(day, term, readings=READINGS).date


def answer(f: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    w, c, s, a, d = f["worker"], f["commission"], f["session"], f["application"], f["decision"]
    out: dict[str, tuple[str, str | None]] = {}
    na: tuple[str, None] = ("not_applicable", None)
    und: tuple[str, None] = ("undetermined", None)
    sd = s["date"]
    amended = sd >= AMENDED_FROM

    e_pos = _earliest(w["appointed_on"], Y1)
    e_leave = (
        _earliest(w["returned_from_childcare_leave_on"], M6) if w["childcare_leave"] else e_pos
    )
    e_ref = _earliest(w["last_refusal_on"], M3) if w["refused_before"] else e_pos
    first = max(e_pos, e_leave, e_ref)
    due = _deadline(w["last_attested_on"] if w["attested_before"] else w["appointed_on"], Y3)
    out["attestation.window"] = (
        ("violated", "too-early")
        if sd < first
        else ("violated", "overdue")
        if sd > due
        else ("satisfied", "permitted")
    )

    granted = d["outcome"] in CATEGORIES
    out["category.validity"] = ("satisfied", "valid-for-three-years") if granted else na
    out["procedure.stages"] = ("satisfied", "interview-and-decision") if amended else und

    members = c["members"]
    if len(members) < 5:
        out["commission.composition"] = ("violated", "too-few-members")
    elif c["secretary"] != "" and c["chair"] in members:
        out["commission.composition"] = ("satisfied", "composed")
    else:
        out["commission.composition"] = ("violated", "incomplete")

    attending = sum(1 for p in s["present"] if p in members)
    out["session.quorum"] = (
        ("satisfied", "quorate")
        if attending * 3 >= len(members) * 2
        else ("violated", "not-quorate")
    )

    votes = s["votes"]
    n_for = sum(1 for v in votes if v["vote"] == "for")
    n_against = sum(1 for v in votes if v["vote"] == "against")
    chair = next((v["vote"] for v in votes if v["member"] == c["chair"]), "none")
    if n_for > n_against:
        out["decision.vote"] = ("satisfied", "adopted")
    elif n_for == n_against:
        out["decision.vote"] = {
            "for": ("satisfied", "tie-decided-for-by-chair"),
            "against": ("violated", "tie-decided-against-by-chair"),
        }.get(chair, ("violated", "tie-chair-did-not-vote"))
    else:
        out["decision.vote"] = ("violated", "rejected")

    appeared = s["appeared"]
    if not amended:
        for q in (
            "admission.documents",
            "admission.informed",
            "admission.language",
            "admission.devices",
            "admission.absence",
        ):
            out[q] = und
    else:
        out["admission.documents"] = (
            na
            if not appeared
            else (
                ("satisfied", "presented")
                if s["qualification_document"]
                and s["identity"] in ("identity_document", "digital_id")
                else ("violated", "not-presented")
            )
        )
        out["admission.informed"] = (
            na
            if not appeared
            else (
                ("satisfied", "informed")
                if s["informed_of_stages"]
                else ("violated", "not-informed")
            )
        )
        out["admission.language"] = (
            na
            if not appeared
            else (
                ("satisfied", "state-or-russian")
                if s["language"] in ("kk", "ru")
                else ("violated", "other-language")
            )
        )
        out["admission.devices"] = (
            na
            if not (appeared and s["devices_violation"])
            else (
                ("satisfied", "act-and-removal")
                if s["violation_act"] and s["removed"]
                else ("violated", "breach-not-handled")
            )
        )
        if appeared:
            out["admission.absence"] = na
        elif s["absence_reason"] not in GOOD_REASONS:
            out["admission.absence"] = ("violated", "not-attested")
        else:
            latest = _deadline(s["returned_to_work_on"], M1)
            out["admission.absence"] = (
                ("satisfied", "postponed-in-time")
                if s["rescheduled_on"] <= latest
                else ("violated", "postponed-too-late")
            )

    if a["submitted_on"] < IN_FORCE_FROM:
        out["application.documents"] = na  # the Rules were not in force yet
    elif a["submitted_on"] < AMENDED_FROM:
        out["application.documents"] = und
    else:
        required = SIX if a["has_previous_certificate"] else FIVE
        missing = [x for x in required if x not in a["documents"]]
        out["application.documents"] = (
            ("violated", "incomplete") if missing else ("satisfied", "complete")
        )

    out["procedure.testing"] = na if amended else und
    out["session.recording"] = (
        ("satisfied", "recorded") if s["recording"] != "none" else ("violated", "not-recorded")
    )
    out["decision.outcome"] = (
        ("satisfied", "category-granted") if granted else ("satisfied", "refused")
    )

    cert = f.get("certificate") or {}
    if granted:
        due3 = _deadline(d["date"], WD3)
        out["certificate.issue"] = (
            ("satisfied", "issued-in-time")
            if cert["issued_on"] <= due3
            else ("violated", "issued-late")
        )
        out["certificate.information"] = (
            ("satisfied", "sent-in-time")
            if cert["information_sent_on"] <= due3
            else ("violated", "sent-late")
        )
    else:
        out["certificate.issue"] = out["certificate.information"] = na

    rev = f.get("revocation")
    if rev is None:
        out["revocation.review"] = out["revocation.notices"] = na
    else:
        due10 = _deadline(rev["received_on"], WD10, True)
        out["revocation.review"] = (
            ("satisfied", "considered-in-time")
            if rev["decided_on"] <= due10
            else ("violated", "considered-late")
        )
        if rev["outcome"] != "revoked":
            out["revocation.notices"] = na
        else:
            due3 = _deadline(rev["decided_on"], WD3)
            out["revocation.notices"] = (
                ("satisfied", "notified-in-time")
                if (rev["worker_notified_on"] <= due3 and rev["authority_informed_on"] <= due3)
                else ("violated", "notified-late")
            )

    comp = f.get("complaint")
    if comp is None or not comp["pre_trial_filed"]:
        out["complaint.review"] = na
    else:
        due5 = _deadline(comp["registered_on"], WD5)
        out["complaint.review"] = (
            ("satisfied", "considered-in-time")
            if comp["reviewed_on"] <= due5
            else ("violated", "considered-late")
        )
    if comp is None or not comp["went_to_court"]:
        out["complaint.court"] = na
    elif not comp["pre_trial_filed"]:
        out["complaint.court"] = ("violated", "no-pre-trial-complaint")
    else:
        out["complaint.court"] = (
            ("satisfied", "after-the-decision")
            if comp["court_filed_on"] >= comp["reviewed_on"]
            else ("violated", "before-the-decision")
        )
    return out

"""Hypothesis strategies shared by the property tests: consistent, realistic cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

import attest_rules

# the document kinds, in the order the spec declares them
DOCUMENTS: list[str] = list(
    attest_rules.load().document.facts["application"].fields["documents"].of.values or []  # type: ignore[index, union-attr]
)
NAMES = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
DATES = st.dates(min_value=dt.date(2023, 7, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    members = draw(st.lists(st.sampled_from(NAMES), min_size=3, max_size=9, unique=True))
    present = draw(st.lists(st.sampled_from(members), unique=True))
    voters = draw(st.lists(st.sampled_from(present), unique=True)) if present else []
    votes = [{"member": m, "vote": draw(st.sampled_from(["for", "against"]))} for m in voters]
    session_date = draw(DATES)
    appointed = session_date - dt.timedelta(days=draw(st.integers(0, 2000)))
    decision_date = session_date + dt.timedelta(days=draw(st.integers(0, 3)))
    appeared = draw(st.booleans())
    return {
        "worker": {
            "appointed_on": appointed.isoformat(),
            "childcare_leave": False,
            "refused_before": False,
            "attested_before": False,
        },
        "commission": {
            "members": members,
            "chair": draw(st.sampled_from(members)),
            "secretary": "S",
        },
        "session": {
            "date": session_date.isoformat(),
            "present": present,
            "votes": votes,
            "appeared": appeared,
            "absence_reason": None
            if appeared
            else draw(st.sampled_from(["leave", "business_trip", "other", "none"])),
            "returned_to_work_on": None if appeared else session_date.isoformat(),
            "rescheduled_on": None
            if appeared
            else (session_date + dt.timedelta(days=draw(st.integers(1, 40)))).isoformat(),
            "identity": draw(st.sampled_from(["identity_document", "digital_id", "none"])),
            "qualification_document": draw(st.booleans()),
            "informed_of_stages": draw(st.booleans()),
            "language": draw(st.sampled_from(["kk", "ru", "en", "uz"])),
            "devices_violation": False,
            "recording": draw(st.sampled_from(["audio", "video", "audio_video", "none"])),
        },
        "application": {
            "submitted_on": session_date.isoformat(),
            "has_previous_certificate": draw(st.booleans()),
            "documents": draw(
                st.lists(
                    st.sampled_from(DOCUMENTS),
                    unique=True,
                )
            ),
        },
        "decision": {
            "date": decision_date.isoformat(),
            "outcome": draw(st.sampled_from(["second", "first", "higher", "refusal"])),
        },
        "certificate": {
            "issued_on": (decision_date + dt.timedelta(days=draw(st.integers(0, 8)))).isoformat()
        },
    }

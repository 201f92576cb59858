"""Generated complete, consistent cases (every fact known), for the benchmarks and for trying
`attest-rules impact` on a batch.

Usage: python benchmarks/cases.py N [--seed SEED] > batch.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from typing import Any

import attest_rules

NAMES = list("ABCDEFGH")
# the document kinds, in the order the spec declares them
DOCS: list[str] = list(
    attest_rules.load().document.facts["application"].fields["documents"].of.values or []  # type: ignore[index, union-attr]
)


def _day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def make_case(rng: random.Random, n: int) -> dict[str, Any]:
    """A complete, consistent case (every fact known), drawn from ``rng``."""
    members = rng.sample(NAMES, rng.choice([4, 5, 5, 6, 7]))
    present = [m for m in members if rng.random() < 0.8]
    votes = [
        {"member": m, "vote": rng.choice(["for", "against"])} for m in present if rng.random() < 0.9
    ]
    session = _day(rng, dt.date(2023, 7, 3), 1250)
    appointed = session - dt.timedelta(days=rng.randrange(200, 2500))
    leave = rng.random() < 0.2
    leave_start = appointed + dt.timedelta(days=rng.randrange(1, 60))
    refused, attested = rng.random() < 0.2, rng.random() < 0.5
    appeared = rng.random() < 0.85
    decision = session + dt.timedelta(days=rng.randrange(0, 2))
    received = decision + dt.timedelta(days=rng.randrange(10, 200))
    decided = received + dt.timedelta(days=rng.randrange(0, 20))
    registered = decision + dt.timedelta(days=rng.randrange(1, 30))
    reviewed = registered + dt.timedelta(days=rng.randrange(0, 10))
    pre_trial, court = rng.random() < 0.7, rng.random() < 0.4
    iso = dt.date.isoformat
    case: dict[str, Any] = {
        "id": f"bench-{n}",
        "worker": {
            "iin": f"{n:012d}"[-12:],
            "full_name": f"Worker {n}",
            "appointed_on": iso(appointed),
            "childcare_leave": leave,
            "childcare_leave_started_on": iso(leave_start) if leave else None,
            "returned_from_childcare_leave_on": iso(
                leave_start + dt.timedelta(days=rng.randrange(30, 150))
            )
            if leave
            else None,
            "refused_before": refused,
            "last_refusal_on": iso(session - dt.timedelta(days=rng.randrange(30, 200)))
            if refused
            else None,
            "attested_before": attested,
            "last_attested_on": iso(session - dt.timedelta(days=rng.randrange(300, 1300)))
            if attested
            else None,
        },
        "commission": {"members": members, "chair": rng.choice(members), "secretary": "S"},
        "session": {
            "date": iso(session),
            "present": present,
            "votes": votes,
            "appeared": appeared,
            "absence_reason": None
            if appeared
            else rng.choice(["leave", "business_trip", "temporary_incapacity", "other"]),
            "returned_to_work_on": None if appeared else iso(session + dt.timedelta(days=5)),
            "rescheduled_on": None
            if appeared
            else iso(session + dt.timedelta(days=rng.randrange(6, 60))),
            "identity": rng.choice(["identity_document", "digital_id", "none"]),
            "qualification_document": rng.random() < 0.9,
            "informed_of_stages": rng.random() < 0.9,
            "language": rng.choice(["kk", "ru", "kk", "en"]),
            "devices_violation": (dv := rng.random() < 0.1),
            "violation_act": dv and rng.random() < 0.8,
            "removed": dv and rng.random() < 0.8,
            "recording": rng.choice(["audio", "video", "audio_video", "none"]),
        },
        "application": {
            "submitted_on": iso(session - dt.timedelta(days=rng.randrange(5, 40))),
            "has_previous_certificate": rng.random() < 0.4,
            "documents": [d for d in DOCS if rng.random() < 0.9],
        },
        "decision": {
            "date": iso(decision),
            "protocol_number": str(n),
            "outcome": rng.choice(["second", "first", "higher", "refusal"]),
        },
        "certificate": {
            "issued_on": iso(decision + dt.timedelta(days=rng.randrange(0, 7))),
            "information_sent_on": iso(decision + dt.timedelta(days=rng.randrange(0, 7))),
        },
    }
    if rng.random() < 0.3:
        case["revocation"] = {
            "received_on": iso(received),
            "decided_on": iso(decided),
            "outcome": rng.choice(["no_grounds", "revoked"]),
            "worker_notified_on": iso(decided + dt.timedelta(days=rng.randrange(0, 6))),
            "authority_informed_on": iso(decided + dt.timedelta(days=rng.randrange(0, 6))),
        }
    if rng.random() < 0.3:
        case["complaint"] = {
            "pre_trial_filed": pre_trial,
            "registered_on": iso(registered) if pre_trial else None,
            "reviewed_on": iso(reviewed) if pre_trial else None,
            "went_to_court": court,
            "court_filed_on": iso(reviewed + dt.timedelta(days=rng.randrange(-3, 30)))
            if court
            else None,
        }
    return case


def drop_facts(rng: random.Random, case: dict[str, Any], share: float) -> dict[str, Any]:
    """``case`` with about ``share`` of its known facts (within each section) left unknown, as
    real submissions often are: those answers go through the three-valued closures, which say
    what is missing. The id is kept."""
    out: dict[str, Any] = {"id": case["id"]}
    for section, facts in case.items():
        if isinstance(facts, dict):
            out[section] = {k: (None if rng.random() < share else v) for k, v in facts.items()}
        elif section != "id":
            out[section] = facts
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="how many cases")
    parser.add_argument("--seed", type=int, default=20230701)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for n in range(args.n):
        sys.stdout.write(json.dumps(make_case(rng, n)) + "\n")


if __name__ == "__main__":
    main()

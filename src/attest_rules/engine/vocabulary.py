"""The words of a result that a command names before it evaluates anything: the statuses and
how a reader is told them, the languages of the library's wording, and how a record cites its
clauses. Apart from ``results`` (pydantic, the dataclasses) so that a command's options and a
message can name them without importing the engine."""

from __future__ import annotations

from typing import Literal

from attest_rules.messages import words

Status = Literal["satisfied", "violated", "undetermined", "not_applicable"]
Lang = Literal["kk", "ru", "en"]  # the languages of the library's wording
Citations = Literal["ids", "full"]
"""How a record cites its clauses: each clause's text once, answers citing it by id (format
2), or in full in each answer (format 1, ``--citations full``)."""
CITATIONS: tuple[Citations, ...] = ("ids", "full")
STATUS_WORDS: dict[str, str] = {  # a status as a reader is told it (``tr`` says it in a language)
    "satisfied": words("satisfied"),
    "violated": words("violated"),
    "undetermined": words("undetermined"),
    "not_applicable": words("not applicable"),
}

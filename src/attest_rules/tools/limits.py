"""Bounds on what a command may be asked for, read where its options are parsed: a command
names them in its help without importing the work they bound."""

from __future__ import annotations

MAX_WORKERS = 64
"""Worker processes a batch, an impact or the service may be given (``--workers N``)."""

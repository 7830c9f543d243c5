"""The briefing date: `--date`, else `SOURCE_DATE_EPOCH` (reproducible builds), else today."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

from briefpack.errors import InputError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_date(date: str | None, env: Mapping[str, str] | None = None) -> str:
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC)."""
    env = os.environ if env is None else env
    if date is not None:
        try:
            if not _DATE.match(date):
                raise ValueError
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(f"invalid date {date!r}; use YYYY-MM-DD, e.g. 2026-11-27") from None
        return date
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds")
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return dt.datetime.now(tz=dt.timezone.utc).date().isoformat()

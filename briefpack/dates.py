"""The briefing date: `--date`, else `SOURCE_DATE_EPOCH` (reproducible builds), else today.

A pack's zip stores each entry's date in two bytes (years 1980 to 2107) and its PDFs in
`D:YYYY...` form, so briefing dates are kept within 1980-01-01 and 2107-12-31.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

from briefpack.errors import OptionError

EARLIEST = dt.date(1980, 1, 1)
LATEST = dt.date(2107, 12, 31)
RANGE = f"{EARLIEST} to {LATEST}, what zip files can hold"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EPOCH = re.compile(r"-?[0-9]+")  # what `date +%s` prints: ASCII digits, no fraction
_DAY = 86400


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else f"{value[:40]}...")


def check_date(date: str, what: str = "date") -> str:
    """`date` if it is a YYYY-MM-DD day a pack can carry, else OptionError saying why.

    `what` starts the message; "" where Click names the option itself.
    """
    try:
        if not _DATE.fullmatch(date):
            raise ValueError
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise OptionError(
            f"{what} {_shown(date)} is not a date; use YYYY-MM-DD, e.g. 2026-11-27".strip()
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise OptionError(f"{what} {date} is out of range; use a date from {RANGE}".strip())
    return date


def epoch_date(value: str) -> str:
    """The UTC day of a SOURCE_DATE_EPOCH value (reproducible-builds.org/specs), checked."""
    name = "SOURCE_DATE_EPOCH"
    if not _EPOCH.fullmatch(value):
        raise OptionError(
            f"{name}={_shown(value)} is not an integer; set it to seconds since 1970-01-01 UTC "
            "(as `date +%s` prints) or unset it"
        )
    seconds = int(value) if len(value) <= 20 else None  # int() refuses 4,300+ digits
    first = (EARLIEST - dt.date(1970, 1, 1)).days * _DAY
    last = ((LATEST - dt.date(1970, 1, 1)).days + 1) * _DAY - 1
    if seconds is None or not first <= seconds <= last:
        raise OptionError(
            f"{name}={_shown(value)} is out of range; use seconds from {first} to {last} "
            f"({RANGE}) or unset it"
        )
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date().isoformat()


def resolve_date(date: str | None, env: Mapping[str, str] | None = None) -> str:
    """--date, else SOURCE_DATE_EPOCH (reproducible builds), else today (UTC); checked."""
    if date is not None:
        return check_date(date)
    env = os.environ if env is None else env
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return epoch_date(epoch)
    return check_date(dt.datetime.now(tz=dt.timezone.utc).date().isoformat(), "today")

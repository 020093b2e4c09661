"""English month names from the standard library `calendar`: the one table behind the publication-date
(ingest) and the date and figure (extract) rules."""

import calendar

NAMES = list(calendar.month_name[1:])  # January … December
ABBREVIATIONS = [*calendar.month_abbr[1:], "Sept"]  # Jan … Dec, and Sept
NUMBER = {name[:3].lower(): number for number, name in enumerate(NAMES, start=1)}  # "jan" → 1 … "dec" → 12


def words() -> list[str]:
    """Names and abbreviations lowercased, each also with a final period ("jan", "jan.", "january", …)."""
    lowered = [name.lower() for name in [*NAMES, *ABBREVIATIONS]]
    return lowered + [f"{name}." for name in lowered]

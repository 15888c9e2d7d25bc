from datetime import date

from accounts.dates import year_accepted


class IsoDateConverter:
    """Match YYYY-MM-DD in a URL; an impossible date, or a year outside the accepted ones, is
    a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        day = date.fromisoformat(value)
        if not year_accepted(day):
            raise ValueError(f"{value} is outside the accepted years")
        return day

    def to_url(self, value: date) -> str:
        return value.isoformat()

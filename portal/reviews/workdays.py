"""Working days for escalation and reminders, on the activities domain's calendar (weekends by
the unit's 5- or 6-day week, national holidays and cuti bersama). A `Calendar` loads the
holidays of its range once, so callers run a fixed number of queries."""

from datetime import timedelta

from portal.activities import workdays


class Calendar:
    """Working days between `start` and `end` (inclusive), holidays loaded in one query."""

    def __init__(self, start, end):
        self.start, self.end = start, end
        self.holidays = workdays.holidays_between(start, end)

    def is_working_day(self, day, unit=None):
        return workdays.is_working_day(day, unit, self.holidays)

    def working_days(self, start, end, unit=None):
        """Working days d with start <= d <= end, in order."""
        days = []
        day = start
        while day <= end:
            if self.is_working_day(day, unit):
                days.append(day)
            day += timedelta(days=1)
        return days

    def count_after(self, start, end, unit=None):
        """Working days in (start, end]."""
        return len(self.working_days(start + timedelta(days=1), end, unit)) if end > start else 0

    def cutoff(self, today, n, unit=None):
        """The latest date D such that (D, today] holds `n` working days: whatever was
        submitted on D or earlier has waited `n` working days by today."""
        counted = 0
        day = today
        while counted < n and day >= self.start:
            if self.is_working_day(day, unit):
                counted += 1
            day -= timedelta(days=1)
        return day


def calendar_for(today, back_days=90):
    return Calendar(today - timedelta(days=back_days), today)

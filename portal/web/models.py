import peewee as pw

from portal.db import BaseModel


class RateCounter(BaseModel):
    """One fixed window of a rate limit (see portal.web.ratelimit)."""

    key = pw.CharField(max_length=190)
    window = pw.BigIntegerField()  # the window's start, in seconds since the epoch
    count = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("key", "window"), True),)


MODELS = [RateCounter]

import peewee as pw

from portal.db import BaseModel


class Setting(BaseModel):
    key = pw.CharField(max_length=64, unique=True)
    value = pw.TextField()


MODELS = [Setting]

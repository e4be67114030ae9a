"""The baseline: a bare Flask page served by the same gunicorn, same workers, same machine."""

from flask import Flask

app = Flask(__name__)

PAGE = (
    "<!doctype html><html lang='id'><head><title>Dasar</title></head><body><p>ok</p></body></html>"
)


@app.get("/")
def bare():
    return PAGE

import pytest


@pytest.fixture(autouse=True)
def _database(app):
    """Every test here works on the fresh database of the `app` fixture."""
    return app

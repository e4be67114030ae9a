"""Key pages run a fixed, small number of queries: the layout reads the settings once, renders
the navigation (badges, bell) once."""

from tests.conftest import count_queries


def test_the_layout_reads_settings_and_the_bell_once(client, login_as, make_employee):
    boss = make_employee()
    login_as(make_employee(supervisor=boss))
    client.get("/")  # warm-up (first request of the app)
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    statements = queries.queries
    settings_reads = [q for q in statements if 'FROM "setting"' in q or "FROM `setting`" in q]
    bell = [q for q in statements if 'FROM "notification"' in q or "FROM `notification`" in q]
    assert len(settings_reads) == 1, settings_reads
    assert len(bell) == 1, bell

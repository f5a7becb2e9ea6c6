"""Concurrency tests: several real API calls released at one moment, on SQLite and PostgreSQL.

``race.race(n, call)`` runs ``call(0) .. call(n - 1)`` in n threads behind one barrier;
``race.clients(user, n)`` gives each thread a test client of its own (a client is not
thread-safe); ``race.one_winner(answers)`` checks that exactly one call won and every
other got a 409; afterwards ``race.audited(action, target)`` counts audit records,
``race.assert_told_once(kind)`` checks nobody holds a notice twice and
``race.assert_chain_holds()`` verifies the audit chain. A test module runs on both
engines with ``pytestmark = pytest.mark.parametrize("database_url", ENGINES, indirect=True)``;
SQLite is then a file, so the threads share it.
"""

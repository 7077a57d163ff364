"""The API's own records in the shared database: idempotency keys' first answers, rate counts, the schema itself."""

import datetime
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from letterhouse.batch.idempotency import IdempotencyKeys, KeyInUse, KeyReused, request_hash
from letterhouse.batch.job_records import JobStore, utc_now
from letterhouse.batch.job_tables import database_engine, metadata, upgrade_database
from letterhouse.batch.rate_limits import RateLimit, count_request


@pytest.fixture
def engine(database_url):
    engine = database_engine(database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


def test_the_migrations_make_exactly_the_tables_the_code_describes(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [d for d in differences if d[0] != "remove_table" or d[1].name != "alembic_version"] == []


# --- idempotency keys ---

def fingerprint(body=b'{"recipient_name": "Chris"}'):
    return request_hash("POST", "/api/v1/letters/thank-you", "", "application/json", body)


def test_the_same_key_and_request_get_the_first_answer(engine):
    keys = IdempotencyKeys(engine)
    assert keys.begin("token:a", "order-1", fingerprint()) is None
    keys.answer("token:a", "order-1", 200, [("Content-Type", "application/pdf")], b"%PDF-first")
    kept = keys.begin("token:a", "order-1", fingerprint())
    assert (kept.status, kept.headers, kept.body) == (200, [["Content-Type", "application/pdf"]], b"%PDF-first")


def test_the_same_key_with_another_request_is_refused(engine):
    keys = IdempotencyKeys(engine)
    keys.begin("token:a", "order-1", fingerprint())
    keys.answer("token:a", "order-1", 200, [], b"x")
    with pytest.raises(KeyReused):
        keys.begin("token:a", "order-1", fingerprint(b'{"recipient_name": "Alex"}'))


def test_keys_are_each_clients_own(engine):
    keys = IdempotencyKeys(engine)
    keys.begin("token:a", "order-1", fingerprint())
    keys.answer("token:a", "order-1", 200, [], b"a's")
    assert keys.begin("token:b", "order-1", fingerprint(b"other")) is None


def test_a_request_being_answered_makes_its_twin_wait_and_one_given_up_frees_the_key(engine):
    keys = IdempotencyKeys(engine)
    outcomes = []

    def begin():
        try:
            outcomes.append(keys.begin("token:a", "k", fingerprint()))
        except KeyInUse:
            outcomes.append("in use")

    threads = [threading.Thread(target=begin) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == ["None", "in use", "in use", "in use"]
    keys.forget("token:a", "k")  # the first request failed: it may be sent again
    assert keys.begin("token:a", "k", fingerprint()) is None


def test_kept_answers_go_after_a_day_with_the_sweep(engine, tmp_path):
    keys = IdempotencyKeys(engine)
    keys.begin("token:a", "k", fingerprint())
    keys.answer("token:a", "k", 201, [], b"{}")
    store = JobStore(engine, tmp_path / "results", retention_hours=24)
    store.remove_expired(now=utc_now() + datetime.timedelta(hours=23))
    assert keys.kept("token:a", "k") is not None
    store.remove_expired(now=utc_now() + datetime.timedelta(hours=24, minutes=1))
    assert keys.kept("token:a", "k") is None


# --- rate counts ---

def test_a_client_gets_its_quota_per_window_then_is_told_when_to_come_back(engine):
    limit = RateLimit.from_setting("letters", "3/minute")
    start = 1_800_000_000 - 1_800_000_000 % 60  # the start of a minute
    counts = [count_request(engine, limit, "token:a", now=start + 15) for _ in range(4)]
    assert [c.allowed for c in counts] == [True, True, True, False]
    assert counts[0].headers() == {"RateLimit-Policy": '"letters";q=3;w=60', "RateLimit": '"letters";r=2;t=45'}
    assert counts[3].headers() == {"RateLimit-Policy": '"letters";q=3;w=60', "RateLimit": '"letters";r=0;t=45',
                                   "Retry-After": "45"}
    assert count_request(engine, limit, "token:b", now=start + 15).allowed  # another client's own count
    assert count_request(engine, limit, "token:a", now=start + 60).remaining == 2  # a new window


def test_counts_from_many_hosts_at_once_are_not_lost(engine):
    limit = RateLimit.from_setting("letters", "1000/hour")
    threads = [threading.Thread(target=lambda: [count_request(engine, limit, "token:a", now=3600) for _ in range(5)])
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count_request(engine, limit, "token:a", now=3600).used == 31


@pytest.mark.parametrize(("setting", "quota", "window"), [("60/minute", 60, 60), (" 5 / Second ", 5, 1),
                                                          ("1000/hours", 1000, 3600), ("2/day", 2, 86400)])
def test_a_limit_is_written_as_requests_per_period(setting, quota, window):
    assert RateLimit.from_setting("letters", setting) == RateLimit("letters", quota, window)


@pytest.mark.parametrize("setting", ["60", "60/fortnight", "0/minute", "-1/minute", "sixty/minute"])
def test_a_limit_written_otherwise_is_refused_saying_how_to_write_it(setting):
    with pytest.raises(ValueError, match="like “60/minute”"):
        RateLimit.from_setting("letters", setting)


def test_no_limit_is_no_limit():
    assert RateLimit.from_setting("letters", "") is None

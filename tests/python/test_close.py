"""close keeps its word: a put waiting for room in the buffer budget is woken by close at once
and raises KinesisError("FailedPrecondition", "ProducerClosed: ..."), as a put after close
does, and when close returns every future a put returned is resolved (put and put_async)."""

import asyncio
import concurrent.futures
import threading
import time

import pytest

from kinesis_producer import KinesisError, Producer, RecordFailedError

CREDENTIALS = {"AwsAccessKeyId": "AKIDPYTHONTEST", "AwsSecretKey": "python-test-secret"}


def full_producer(endpoint, records=5):
    """A producer whose budget is full of records the server never answers; a put now would
    wait two minutes for room."""
    producer = Producer(stream="s", region="us-east-1", endpoint=endpoint, RequestTimeout=60000,
                        BufferMaxRecords=records, PutTimeout=120000, **CREDENTIALS)
    futures = [producer.put(b"d", partition_key=f"k{i}") for i in range(records)]
    return producer, futures


def close_while(producer, waiting_call, deadline=2.0):
    """Runs `waiting_call` on a thread, closes the producer (`deadline` seconds) while it waits,
    and returns (what the call returned or raised, seconds from close's start to the call's
    return, seconds close took)."""
    outcome = {}

    def run():
        try:
            outcome["value"] = waiting_call()
        except Exception as e:  # noqa: BLE001 (the outcome under test)
            outcome["value"] = e
        outcome["at"] = time.monotonic()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(0.3)  # let it start waiting (if not, close refuses it at once all the same)
    start = time.monotonic()
    producer.close(timeout=deadline)
    close_took = time.monotonic() - start
    thread.join(timeout=60)
    assert not thread.is_alive(), "the waiting call never returned"
    return outcome["value"], outcome["at"] - start, close_took


def check_refused_by_close(value, returned_after, deadline):
    if not isinstance(value, Exception):
        # A future accepted while closing must be resolved when close returns.
        assert value.done(), "close returned and the blocked put's future is unresolved"
    assert isinstance(value, KinesisError), f"the blocked put gave {value!r}"
    assert value.args[0] == "FailedPrecondition"
    assert "ProducerClosed" in value.args[1]
    assert returned_after < deadline, "the put was not woken before close's deadline"


def test_close_wakes_a_put_waiting_for_room(silent_endpoint):
    producer, futures = full_producer(silent_endpoint)
    value, returned_after, close_took = close_while(
        producer, lambda: producer.put(b"late", partition_key="late"))
    check_refused_by_close(value, returned_after, 2.0)
    assert close_took < 60
    for f in futures:
        assert isinstance(f.exception(timeout=0), RecordFailedError)
        assert f.exception().result.error_code == "ProducerClosed"


def test_close_wakes_put_async_waiting_for_room(silent_endpoint):
    producer, futures = full_producer(silent_endpoint)

    async def put_more():
        return await producer.put_async(b"late", partition_key="late")

    value, returned_after, _ = close_while(producer, lambda: asyncio.run(put_more()))
    if isinstance(value, RecordFailedError):
        pytest.fail("put_async was accepted after close began")
    check_refused_by_close(value, returned_after, 2.0)
    assert all(f.done() for f in futures)


def test_flush_from_a_done_callback_fails_at_once(silent_endpoint):
    """A done callback runs on the completion thread, which resolves the futures flush waits
    for: flush there is refused at once (as the C++ Flush from a callback is), not left to wait
    for itself."""
    producer = Producer(stream="s", region="us-east-1", endpoint=silent_endpoint,
                        RequestTimeout=60000, RecordTtl=100, **CREDENTIALS)  # expires at once
    outcome = concurrent.futures.Future()

    def flush_in_callback(_):
        start = time.monotonic()
        try:
            value = producer.flush(timeout=30)
        except KinesisError as e:
            value = e
        outcome.set_result((value, time.monotonic() - start))

    producer.put(b"d", partition_key="k").add_done_callback(flush_in_callback)
    value, took = outcome.result(timeout=60)
    assert isinstance(value, KinesisError), f"flush from a done callback gave {value!r}"
    assert value.args[0] == "FailedPrecondition" and "callback" in value.args[1]
    assert took < 5
    assert producer.flush(timeout=10)  # from another thread it works
    producer.close(timeout=1)

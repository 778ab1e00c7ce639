"""The asyncio forms never block the event loop: a ticker task keeps ticking while put_async
waits for room in a full buffer budget and while flush_async and close_async wait on a server
that never answers; put_async keeps the order of its calls, and its results are the records'."""

import asyncio
import time

from kinesis_producer import KinesisError, Producer, RecordFailedError

CREDENTIALS = {"AwsAccessKeyId": "AKIDPYTHONTEST", "AwsSecretKey": "python-test-secret"}
TICK = 0.01  # seconds between the ticker's ticks


class Ticker:
    """Ticks every TICK seconds on the loop; `longest` is the longest gap between two ticks,
    which is how long the loop was blocked (plus TICK)."""

    def __init__(self):
        self.longest = 0.0
        self.ticks = 0
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def start(self):
        """Returns once the ticker has ticked: the gaps from then on are measured."""
        while self.ticks < 3:
            await asyncio.sleep(TICK)
        return self

    async def _run(self):
        last = time.monotonic()
        while True:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            self.longest = max(self.longest, now - last)
            self.ticks += 1
            last = now

    async def stop(self):
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass


def silent_producer(endpoint, **settings):
    """A producer on a server that accepts connections and never answers."""
    return Producer(stream="s", region="us-east-1", endpoint=endpoint, RequestTimeout=60000,
                    **settings, **CREDENTIALS)


def test_put_async_waiting_for_room_does_not_block_the_loop(silent_endpoint):
    """The budget holds 5 records the server never answers: the sixth put waits PutTimeout
    (1.5 s) for room, then fails with QueueFull; the loop ticks all along."""
    producer = silent_producer(silent_endpoint, BufferMaxRecords=5, PutTimeout=1500)

    async def main():
        for i in range(5):
            producer.put(b"d", partition_key=f"k{i}")
        ticker = await Ticker().start()
        start = time.monotonic()
        try:
            await producer.put_async(b"late", partition_key="late")
        except KinesisError as e:
            outcome = e
        waited = time.monotonic() - start
        await asyncio.sleep(3 * TICK)
        await ticker.stop()
        return outcome, waited, ticker

    try:
        outcome, waited, ticker = asyncio.run(main())
    finally:
        producer.close(timeout=0)
    assert outcome.args[0] == "ResourceExhausted" and "QueueFull" in outcome.args[1], outcome
    assert waited >= 1.4, f"put_async returned after {waited:.2f} s, before PutTimeout"
    # Blocked, the loop would show one gap of 1.5 s; a slow machine may add some.
    assert ticker.longest < 0.75, f"the loop stopped for {ticker.longest:.2f} s"
    assert ticker.ticks >= 20


def test_flush_async_and_close_async_do_not_block_the_loop(silent_endpoint):
    producer = silent_producer(silent_endpoint)

    async def main():
        futures = [producer.put(b"d", partition_key=f"k{i}") for i in range(10)]
        ticker = await Ticker().start()
        start = time.monotonic()
        flushed = await producer.flush_async(timeout=1.5)
        flush_took = time.monotonic() - start
        closed = await producer.close_async(timeout=1.0)
        await asyncio.sleep(3 * TICK)
        await ticker.stop()
        return futures, flushed, flush_took, closed, ticker

    futures, flushed, flush_took, closed, ticker = asyncio.run(main())
    assert flushed is False, "flush reported done on a server that never answers"
    assert flush_took >= 1.4, f"flush_async gave up after {flush_took:.2f} s"
    assert closed is False, "close found nothing to fail"
    assert all(isinstance(f.exception(timeout=0), RecordFailedError) for f in futures)
    assert ticker.longest < 0.75, f"the loop stopped for {ticker.longest:.2f} s"
    assert ticker.ticks >= 30


def test_put_async_keeps_the_order_of_its_calls(sim):
    """Records put with put_async under one partition key are in the stream in call order, and
    flush_async covers the put_async calls made before it."""
    stream = sim.create_stream(shards=1)

    async def main(producer):
        tasks = [asyncio.ensure_future(producer.put_async(f"{i}", partition_key="one"))
                 for i in range(300)]
        assert await producer.flush_async(timeout=60)
        assert all(t.done() for t in tasks), "flush_async returned before the puts' results"
        results = [t.result() for t in tasks]
        many = await producer.put_many_async([(b"m1", "one"), (b"m2", "one")])
        return results, many

    with Producer(stream=stream, AggregationEnabled=False, **sim.producer_settings()) as producer:
        results, many = asyncio.run(main(producer))
    assert all(r.success for r in results) and many.failed == 0 and len(many) == 2
    sequence = [int(r.sequence_number) for r in results]
    assert sequence == sorted(sequence), "put_async records out of call order"
    data = [r["Data"] for r in sim.read_all(stream)]
    assert data == [f"{i}".encode() for i in range(300)] + [b"m1", b"m2"]


def test_async_with_closes_without_blocking(sim):
    stream = sim.create_stream()

    async def main():
        async with Producer(stream=stream, **sim.producer_settings()) as producer:
            result = await producer.put_async(b"x", partition_key="k")
        return producer, result

    producer, result = asyncio.run(main())
    assert result.success
    try:
        producer.put(b"y", partition_key="k")
    except KinesisError as e:
        assert e.args[0] == "FailedPrecondition"
    else:
        raise AssertionError("put after async with's close was accepted")

"""The kinesis_producer package against kinesis-sim and kinesalite: exactly one result per
record, what succeeded is in the stream (read back with boto3 and deaggregated with our
deaggregate), flush, close, asyncio, threads, errors."""

import asyncio
import collections
import concurrent.futures
import gc
import os
import pickle
import subprocess
import sys
import threading
import time

import pytest

import kinesis_producer
from kinesis_producer import KinesisError, Producer, RecordFailedError, deaggregate

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def records(n, prefix="k"):
    return [(f"record-{i}".encode() * 3, f"{prefix}-{i * 7919 % 10007}") for i in range(n)]


def check_stream(backend, stream, sent, results):
    """Every successful record is in the stream once, where its result says, with its data."""
    at = collections.defaultdict(list)
    for kinesis_record in backend.read_all(stream):
        users = deaggregate(kinesis_record)
        assert users, kinesis_record
        for user in users:
            assert user["SequenceNumber"] == kinesis_record["SequenceNumber"]
            at[user["SequenceNumber"]].append(user)
    assert sum(len(v) for v in at.values()) == len(sent)
    for (data, key), result in zip(sent, results):
        user = at[result.sequence_number][result.sub_sequence_number]
        assert user["SubSequenceNumber"] == result.sub_sequence_number
        assert (user["Data"], user["PartitionKey"]) == (data, key)


def put_all(producer, sent):
    return [producer.put(data, partition_key=key) for data, key in sent]


def produce(backend, stream, sent):
    """Puts `sent`, flushes; every future is resolved once flush returns."""
    with Producer(stream=stream, **backend.producer_settings()) as producer:
        futures = put_all(producer, sent)
        assert producer.flush(timeout=120)
        assert all(f.done() for f in futures)
        assert producer.outstanding == 0
        return [f.result() for f in futures]


def test_exactly_one_result_and_read_back_from_sim(sim):
    stream = sim.create_stream(shards=4)
    sent = records(3000)
    results = produce(sim, stream, sent)
    assert all(r.success and r.attempts >= 1 for r in results)
    assert any(r.aggregated for r in results)
    check_stream(sim, stream, sent, results)


def test_read_back_from_kinesalite_with_boto3(kinesalite):
    stream = kinesalite.create_stream(shards=2)
    sent = records(500)
    check_stream(kinesalite, stream, sent, produce(kinesalite, stream, sent))


def test_unaggregated_records_deaggregate_as_plain(sim):
    stream = sim.create_stream()
    sent = records(50)
    with Producer(stream=stream, AggregationEnabled=False, **sim.producer_settings()) as p:
        results = [f.result() for f in put_all(p, sent)]
    assert not any(r.aggregated for r in results)
    users = [u for r in sim.read_all(stream) for u in deaggregate(r)]
    assert sorted((u["Data"], u["PartitionKey"]) for u in users) == sorted(sent)
    assert not any(u["Aggregated"] for u in users)


def test_put_many_gives_one_result_per_record_in_order(sim):
    stream = sim.create_stream(shards=4)
    sent = records(2000)
    with Producer(stream=stream, **sim.producer_settings()) as producer:
        futures = [producer.put_many(sent[i:i + 300]) for i in range(0, len(sent), 300)]
        assert producer.flush(timeout=120)
        assert all(f.done() for f in futures)
    results = [r for f in futures for r in f.result()]
    assert len(results) == len(sent)
    assert sum(f.result().failed for f in futures) == 0
    check_stream(sim, stream, sent, results)


def test_put_many_refused_records_get_failed_results(sim):
    stream = sim.create_stream()
    batch = [(b"ok", "k1"), (b"d", ""), ("not bytes", "k"), (b"d", "k", "-1"), (b"ok", "k2", None),
             (b"ok",)]
    with Producer(stream=stream, **sim.producer_settings()) as producer:
        results = producer.put_many(batch).result(timeout=60)
        assert producer.put_many([]).result(timeout=60).failed == 0
    assert len(results) == len(batch) and results.failed == 4
    assert [r.success for r in results] == [True, False, False, False, True, False]
    assert {r.error_code for r in results if not r.success} == {"InvalidArgument"}
    assert results[-1].error_code == results[-1:][0].error_code


def test_put_many_racing_with_close_resolves_every_future(sim):
    """put_many calls on other threads while close runs: every future they returned is
    resolved when close returns (each record succeeded or failed, none forgotten)."""
    stream = sim.create_stream(shards=2)
    producer = Producer(stream=stream, **sim.producer_settings())
    futures, stop = [], threading.Event()

    def putter():
        while not stop.is_set():
            try:
                futures.append(producer.put_many(records(200)))
            except KinesisError:
                return  # closed: later calls are refused at once

    threads = [threading.Thread(target=putter) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    producer.close(timeout=5)
    stop.set()
    for t in threads:
        t.join()
    assert futures
    assert all(f.done() for f in futures)
    for f in futures:
        assert len(f.result()) == 200


def test_put_async(sim):
    stream = sim.create_stream()

    async def main(producer):
        return await asyncio.gather(
            *(producer.put_async(f"a{i}", partition_key=f"p{i}") for i in range(200)))

    with Producer(stream=stream, **sim.producer_settings()) as producer:
        results = asyncio.run(main(producer))
    assert len(results) == 200 and all(r.success for r in results)


def test_put_from_many_threads(sim):
    stream = sim.create_stream(shards=4)
    with Producer(stream=stream, **sim.producer_settings()) as producer:
        def work(t):
            return [producer.put(b"x" * 100, partition_key=f"t{t}-{i}") for i in range(1000)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            futures = [f for batch in pool.map(work, range(8)) for f in batch]
        assert producer.flush(timeout=120)
        assert all(f.result().success for f in futures)
        assert producer.metrics()["totals"]["UserRecordsPut"]["sum"] == 8000


def test_puts_from_many_threads_resolve_each_future_once_with_its_result(sim):
    """Eight threads put at once, one record at a time and in put_many batches, while waiting
    on futures still in flight and adding callbacks to some: every future resolves exactly once,
    with the result of its own record (read back from the stream at the sequence and
    sub-sequence number its result names)."""
    stream = sim.create_stream(shards=4)
    threads, per_thread = 8, 600
    sent = [records(per_thread, prefix=f"t{t}") for t in range(threads)]
    callbacks = collections.Counter()  # id(future) -> times its callback ran
    lock = threading.Lock()

    def count(future):
        with lock:
            callbacks[id(future)] += 1

    def work(t):
        singles = sent[t][:per_thread // 2]
        futures = []
        for i, (data, key) in enumerate(singles):
            future = producer.put(data, partition_key=key)
            if i % 3 == 0:  # resolved through Future.set_result, the others without
                future.add_done_callback(count)
            futures.append(future)
        batch = producer.put_many(sent[t][per_thread // 2:])
        batch.add_done_callback(count)
        # Waiting on futures that may still be in flight, newest first.
        results = [f.result(timeout=120) for f in reversed(futures)][::-1]
        return futures, batch, results + list(batch.result(timeout=120))

    with Producer(stream=stream, **sim.producer_settings()) as producer:
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            outcomes = list(pool.map(work, range(threads)))
        assert producer.flush(timeout=120)
        assert producer.metrics()["totals"]["UserRecordsPut"]["sum"] == threads * per_thread
    watched = []
    for futures, batch, _ in outcomes:
        assert all(f.done() and f.exception() is None for f in futures + [batch])
        watched += futures[::3] + [batch]
    assert sorted(callbacks.values()) == [1] * len(watched)
    assert set(callbacks) == {id(f) for f in watched}
    results = [r for _, _, rs in outcomes for r in rs]
    assert all(r.success for r in results)
    check_stream(sim, stream, [r for part in sent for r in part], results)


def test_put_takes_its_arguments_as_the_python_signature_says(sim):
    """put is a C function: positional and keyword arguments, str data as UTF-8, anything
    bytes() takes, stream= over the default, and TypeError for a call that does not fit."""
    stream, other = sim.create_stream(), sim.create_stream()
    with Producer(stream=stream, **sim.producer_settings()) as producer:
        futures = [producer.put(b"positional", "k1"),
                   producer.put(partition_key="k2", data="é text"),
                   producer.put(bytearray(b"bytearray"), "k3", None),
                   producer.put(memoryview(b"view"), partition_key="k4", stream=stream),
                   producer.put(b"elsewhere", "k5", stream=other)]
        for call in (lambda: producer.put(b"d"), lambda: producer.put(b"d", "k", bogus=1),
                     lambda: producer.put(b"d", "k", partition_key="k"),
                     lambda: producer.put(b"d", "k", None, None, None),
                     lambda: producer.put(1, "k")):
            with pytest.raises(TypeError):
                call()
        assert all(f.result(timeout=60).success for f in futures)
    data = sorted(u["Data"] for r in sim.read_all(stream) for u in deaggregate(r))
    assert data == sorted([b"positional", "é text".encode(), b"bytearray", b"view"])
    assert [u["Data"] for r in sim.read_all(other) for u in deaggregate(r)] == [b"elsewhere"]


def test_a_subclass_overriding_put_keeps_its_put(sim):
    class Counting(Producer):
        calls = 0

        def put(self, *args, **kwargs):
            Counting.calls += 1
            return super().put(*args, **kwargs)

    with Counting(stream=sim.create_stream(), **sim.producer_settings()) as producer:
        assert producer.put(b"d", "k").result(timeout=60).success
    assert Counting.calls == 1


def test_put_results_are_read_only_and_not_tracked_by_the_collector(sim):
    with Producer(stream=sim.create_stream(), **sim.producer_settings()) as producer:
        result = producer.put(b"d", "k").result(timeout=60)
    assert isinstance(result, kinesis_producer.PutResult)
    assert result.success and result.shard_id.startswith("shardId-") and result.attempts >= 1
    assert result.error_code == "" and result.sub_sequence_number == 0
    assert repr(result).startswith(f"PutResult(shard_id={result.shard_id!r}, ")
    assert not gc.is_tracked(result)
    with pytest.raises(AttributeError):
        result.success = False
    made = kinesis_producer.PutResult(False, "", "", 0, False, "Throttled", "slow down", 3)
    assert (made.success, made.error_code, made.attempts) == (False, "Throttled", 3)
    copied = pickle.loads(pickle.dumps(result))
    assert repr(copied) == repr(result) and copied.aggregated == result.aggregated
    assert repr(made) == "PutResult(error_code='Throttled', error_message='slow down')"


def test_put_futures_work_with_concurrent_futures(sim):
    """The futures of put are concurrent.futures.Future: wait, as_completed, callbacks added
    after completion; a put cannot be cancelled (the record is in the engine already)."""
    stream = sim.create_stream()
    with Producer(stream=stream, **sim.producer_settings()) as producer:
        futures = put_all(producer, records(300))
        assert all(isinstance(f, concurrent.futures.Future) for f in futures)
        assert futures[-1].cancel() is False
        done, not_done = concurrent.futures.wait(futures, timeout=120)
        assert len(done) == len(futures) and not not_done
        assert set(concurrent.futures.as_completed(futures, timeout=120)) == set(futures)
        late = []
        futures[0].add_done_callback(late.append)
        assert late == [futures[0]]
        assert not futures[-1].cancelled() and futures[-1].result().success
        assert "state=finished returned PutResult" in repr(futures[0])


def test_callbacks_added_before_the_result_run_once_in_order(silent_endpoint):
    """Callbacks added while the record is in flight (the server never answers) run once each,
    in the order added, on the completion thread; one that raises is logged and the next still
    runs."""
    producer = Producer(stream="s", region="us-east-1", endpoint=silent_endpoint,
                        RequestTimeout=60000, **_credentials())
    ran = []
    future = producer.put(b"d", partition_key="k")
    future.add_done_callback(lambda f: ran.append(("first", f.exception().result.error_code)))
    future.add_done_callback(lambda f: 1 / 0)
    future.add_done_callback(lambda f: ran.append(("third", threading.current_thread().name)))
    assert ran == [] and not future.done()
    producer.close(timeout=0.2)
    assert ran == [("first", "ProducerClosed"), ("third", "kinesis-producer-results")]


def test_close_resolves_every_future_and_refuses_later_puts(silent_endpoint):
    producer = Producer(stream="s", region="us-east-1", endpoint=silent_endpoint,
                        RequestTimeout=60000, **_credentials())
    futures = [producer.put(b"d", partition_key=f"k{i}") for i in range(100)]
    assert producer.flush(timeout=0.2) is False
    assert producer.close(timeout=0.3) is False
    for f in futures:
        assert isinstance(f.exception(timeout=0), RecordFailedError)
        assert f.exception().result.error_code == "ProducerClosed"
    with pytest.raises(KinesisError) as e:
        producer.put(b"late", partition_key="k")
    assert e.value.args[0] == "FailedPrecondition"
    with pytest.raises(KinesisError) as e:
        producer.put_many([(b"late", "k")])
    assert e.value.args[0] == "FailedPrecondition"
    assert producer.close() is True  # a second close does nothing


def test_close_from_a_done_callback(sim):
    """A callback (run on the completion thread) may close the producer: close returns, later
    puts are refused, and the futures put before are resolved."""
    stream = sim.create_stream()
    producer = Producer(stream=stream, **sim.producer_settings())
    closed = concurrent.futures.Future()
    first = producer.put(b"d", partition_key="k0")
    first.add_done_callback(lambda f: closed.set_result(producer.close(timeout=5)))
    others = put_all(producer, records(50))
    assert closed.result(timeout=60) is True
    assert first.result(timeout=0).success
    assert all(f.done() for f in others)
    with pytest.raises(KinesisError):
        producer.put(b"late", partition_key="k")


def python_runs_during(call):
    """How often another Python thread ran while `call` ran: 0 when the GIL was held."""
    ran = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ran.append(1)
            stop.wait(0.001)

    spinner = threading.Thread(target=spin)
    spinner.start()
    time.sleep(0.05)
    before = len(ran)
    outcome = call()
    during = len(ran) - before
    stop.set()
    spinner.join()
    return outcome, during


def test_gil_is_released_while_flush_waits(silent_endpoint):
    producer = Producer(stream="s", region="us-east-1", endpoint=silent_endpoint,
                        RequestTimeout=60000, **_credentials())
    producer.put(b"d", partition_key="k")
    flushed, during = python_runs_during(lambda: producer.flush(timeout=0.5))
    producer.close(timeout=0.1)
    assert flushed is False
    assert during > 0, "a Python thread could not run while flush waited"


def test_gil_is_released_while_put_waits_for_room(silent_endpoint):
    producer = Producer(stream="s", region="us-east-1", endpoint=silent_endpoint,
                        RequestTimeout=60000, BufferMaxRecords=5, PutTimeout=500,
                        **_credentials())
    for i in range(5):
        producer.put(b"d", partition_key=f"k{i}")

    def blocked_put():
        with pytest.raises(KinesisError) as e:
            producer.put(b"d", partition_key="full")
        return e.value.args[0]

    code, during = python_runs_during(blocked_put)
    producer.close(timeout=0.1)
    assert code == "ResourceExhausted"
    assert during > 0, "a Python thread could not run while put waited for room"


def test_refused_records_raise_at_once(sim):
    with Producer(stream="any", **sim.producer_settings()) as producer:
        with pytest.raises(KinesisError) as e:
            producer.put(b"d", partition_key="")
        assert e.value.args[0] == "InvalidArgument"
        with pytest.raises(KinesisError):
            producer.put(b"d", partition_key="k", explicit_hash_key="-1")
        with pytest.raises(ValueError):
            Producer(**sim.producer_settings()).put(b"d", partition_key="k")
        assert producer.outstanding == 0


def test_bad_settings_name_the_key(sim):
    with pytest.raises(KinesisError) as e:
        Producer(stream="s", NoSuchSetting=1, **sim.producer_settings())
    assert "NoSuchSetting" in e.value.args[1]
    with pytest.raises(KinesisError) as e:
        Producer(stream="s", RecordTtl="soon", **sim.producer_settings())
    assert "RecordTtl" in e.value.args[1]


def test_properties_file(sim, tmp_path):
    stream = sim.create_stream()
    path = tmp_path / "kpl.properties"
    path.write_text(f"Region = us-east-1\nKinesisEndpoint = {sim.endpoint}\n"
                    "AwsAccessKeyId = AKID\nAwsSecretKey = secret\nAggregationEnabled = false\n")
    with Producer(stream=stream, properties=str(path)) as producer:
        assert not producer.put(b"d", partition_key="k").result(timeout=60).aggregated
    with pytest.raises(KinesisError) as e:
        Producer(properties=str(tmp_path / "missing.properties"))
    assert e.value.args[0] == "NotFound"


def test_missing_stream_fails_the_record(sim):
    with Producer(stream="no-such-stream", **sim.producer_settings()) as producer:
        future = producer.put(b"d", partition_key="k")
        producer.flush(timeout=60)
        error = future.exception(timeout=60)
    assert isinstance(error, RecordFailedError)
    assert error.result.error_code == "ResourceNotFoundException"


def test_deaggregate_plain_bytes_and_damage():
    [user] = deaggregate(b"plain")
    assert user["Data"] == b"plain" and not user["Aggregated"]
    damaged = bytes([0xF3, 0x89, 0x9A, 0xC2]) + bytes(range(20))
    with pytest.raises(KinesisError) as e:
        deaggregate({"Data": damaged, "PartitionKey": "k"})
    assert e.value.args[0] == "Corruption"


def test_python_example(sim):
    stream = sim.create_stream()
    env = dict(os.environ, AWS_REGION="us-east-1", AWS_ENDPOINT_URL_KINESIS=sim.endpoint,
               AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="example-secret",
               PYTHONPATH=os.path.dirname(os.path.dirname(kinesis_producer.__file__)))
    run = subprocess.run(
        [sys.executable, os.path.join(SOURCE_DIR, "examples", "python", "put.py"), stream, "500"],
        env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "510 written, 0 failed" in run.stdout


def test_exit_without_close_sends_the_records_and_exits_cleanly(sim):
    """A script that never closes its producer: the records it put are sent at exit, and the
    interpreter exits normally (no std::terminate from the completion thread)."""
    stream = sim.create_stream()
    script = ("import sys\n"
              "from kinesis_producer import Producer\n"
              "producer = Producer(stream=sys.argv[1], region='us-east-1', endpoint=sys.argv[2],\n"
              "                    AwsAccessKeyId='AKID', AwsSecretKey='secret')\n"
              "futures = [producer.put(b'd%d' % i, partition_key=f'k{i}') for i in range(500)]\n")
    env = dict(os.environ,
               PYTHONPATH=os.path.dirname(os.path.dirname(kinesis_producer.__file__)))
    run = subprocess.run([sys.executable, "-c", script, stream, sim.endpoint], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "terminate" not in run.stderr
    users = [u for r in sim.read_all(stream) for u in deaggregate(r)]
    assert sorted(u["Data"] for u in users) == sorted(b"d%d" % i for i in range(500))


def _credentials():
    return {"AwsAccessKeyId": "AKIDPYTHONTEST", "AwsSecretKey": "python-test-secret"}

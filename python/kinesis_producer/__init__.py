"""kinesis-producer for Python: the C++ engine (aggregation, collection, per-shard rate limits,
retries, exactly one result per record) behind a small Pythonic API.

    from kinesis_producer import Producer

    with Producer(stream="clicks", region="us-east-1") as producer:
        future = producer.put(b"payload", partition_key="user-17")
        print(future.result().sequence_number)

Settings are the KPL's property names as keyword arguments (``RecordMaxBufferedTime=100``,
``AggregationEnabled=False``); see docs/python.md. The GIL is released while the engine works
and while waiting, so ``put`` from many threads scales.
"""

import asyncio
import collections.abc
import concurrent.futures
import itertools
import json
import threading
import time

from . import _native

__all__ = [
    "KinesisError",
    "Producer",
    "PutResult",
    "PutResults",
    "RecordFailedError",
    "deaggregate",
]

__version__ = _native.version

KinesisError = _native.KinesisError
KinesisError.__doc__ = """A call was refused: args are (code, message), e.g.
("InvalidArgument", "partition key is empty"). Raised at once by put, never through a future."""


class PutResult:
    """The result of one record: where it was written, or why it was not."""

    __slots__ = (
        "success",
        "shard_id",
        "sequence_number",
        "sub_sequence_number",
        "aggregated",
        "error_code",
        "error_message",
        "attempts",
    )

    def __init__(self, success, shard_id, sequence_number, sub_sequence_number, aggregated,
                 error_code, error_message, attempts):
        self.success = success
        self.shard_id = shard_id
        self.sequence_number = sequence_number
        self.sub_sequence_number = sub_sequence_number
        self.aggregated = aggregated
        self.error_code = error_code
        self.error_message = error_message
        self.attempts = attempts

    def __repr__(self):
        if self.success:
            return (f"PutResult(shard_id={self.shard_id!r}, "
                    f"sequence_number={self.sequence_number!r}, "
                    f"sub_sequence_number={self.sub_sequence_number})")
        return f"PutResult(error_code={self.error_code!r}, error_message={self.error_message!r})"


class RecordFailedError(Exception):
    """A record that was accepted but not written (throttled past its TTL, stream not found,
    producer closed...): ``result`` says why (``error_code``, ``error_message``)."""

    def __init__(self, result):
        super().__init__(f"{result.error_code}: {result.error_message}")
        self.result = result


def _setting_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Producer:
    """Puts records into Kinesis data streams; every accepted record gets exactly one result.

    ``stream`` is the default stream of ``put``; ``region`` and ``endpoint`` (a URL such as
    ``http://127.0.0.1:4567``, for local servers) are the KPL's Region and KinesisEndpoint;
    any other keyword is a KPL setting by its property name. ``properties`` names a KPL
    .properties file applied first. Credentials come from AwsAccessKeyId/AwsSecretKey or the
    usual AWS chain (environment, profiles, ...).

    Thread safety: every method may be called from any thread. Futures are resolved on the
    producer's completion thread.
    """

    def __init__(self, stream=None, region=None, endpoint=None, properties=None, **kpl_settings):
        settings = []
        if region is not None:
            settings.append(("Region", region))
        if endpoint is not None:
            settings.append(("KinesisEndpoint", endpoint))
        settings.extend((key, _setting_text(value)) for key, value in kpl_settings.items())
        self._native = _native.NativeProducer(properties, settings)
        self._stream = stream
        self._tokens = itertools.count()
        self._pending = {}  # token -> Future; dict operations are atomic under the GIL
        self._closed = False
        self._stopping = threading.Event()
        # The thread holds no reference to the Producer, so an unclosed one is still collected
        # (and closed by __del__).
        self._completer = threading.Thread(
            target=_complete,
            args=(self._native.poll, _resolve_records, self._pending, self._stopping),
            name="kinesis-producer-results", daemon=True)
        self._completer.start()
        self._batch_lock = threading.Lock()
        self._batches_done = threading.Condition(self._batch_lock)
        self._active_put_many = 0  # put_many calls between their closed check and their seal
        self._batch_completer = None  # started by the first put_many

    def put(self, data, partition_key, explicit_hash_key=None, stream=None):
        """Puts one record; returns a concurrent.futures.Future of its PutResult (or of a
        RecordFailedError). ``data`` is bytes (str is encoded as UTF-8). Raises KinesisError at
        once when the record is refused (a rule broken, buffer full, producer closed)."""
        stream = stream or self._stream
        if stream is None:
            raise ValueError("no stream: pass stream= to Producer or to put")
        if not isinstance(data, bytes):
            data = data.encode() if isinstance(data, str) else bytes(data)
        future = concurrent.futures.Future()
        token = next(self._tokens)
        self._pending[token] = future
        try:
            self._native.put(stream, partition_key, data, explicit_hash_key, token)
        except BaseException:
            del self._pending[token]
            raise
        return future

    def put_many(self, records, stream=None):
        """Puts many records in one call; returns one concurrent.futures.Future of a PutResults
        (a sequence of PutResult, in the order of ``records``). Each record is a tuple
        ``(data: bytes, partition_key: str)`` or ``(data, partition_key, explicit_hash_key)``.
        A record refused at put (a rule broken, buffer full, producer closed) gets a failed
        PutResult with that code, so there is always one result per record; KinesisError
        ("FailedPrecondition") once the producer is closed. The fastest way to put from Python:
        the loop over the records runs in C++."""
        stream = stream or self._stream
        if stream is None:
            raise ValueError("no stream: pass stream= to Producer or to put_many")
        if not isinstance(records, list):
            records = list(records)
        with self._batch_lock:
            if self._closed:
                raise KinesisError("FailedPrecondition", "the producer is closed")
            if self._batch_completer is None:
                self._batch_completer = threading.Thread(
                    target=_complete,
                    args=(self._native.poll_batches, _resolve_batches, self._pending,
                          self._stopping),
                    name="kinesis-producer-batches", daemon=True)
                self._batch_completer.start()
            self._active_put_many += 1
        future = concurrent.futures.Future()
        token = next(self._tokens)
        self._pending[token] = future
        try:
            self._native.put_many(stream, records, token)
        except BaseException:
            del self._pending[token]
            raise
        finally:
            with self._batch_lock:
                self._active_put_many -= 1
                self._batches_done.notify_all()
        return future

    async def put_async(self, data, partition_key, explicit_hash_key=None, stream=None):
        """``await producer.put_async(...)``: the PutResult, or raises RecordFailedError."""
        return await asyncio.wrap_future(
            self.put(data, partition_key, explicit_hash_key, stream))

    def flush(self, timeout=None, stream=None):
        """Sends what is buffered (of ``stream``, or all) and waits until every record put
        before has its result and its future is resolved. Returns False when ``timeout``
        seconds passed first."""
        waiting = list(self._pending.values())
        deadline = None if timeout is None else time.monotonic() + timeout
        timeout_ms = 2**62 if timeout is None else max(0, int(timeout * 1000))
        if not self._native.flush(stream, timeout_ms):
            return False
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        _, not_done = concurrent.futures.wait(waiting, timeout=left)
        return not not_done

    def close(self, timeout=10.0):
        """Stops taking records, flushes for up to ``timeout`` seconds, then fails what is left
        with ProducerClosed. Every future is resolved when it returns. Returns True when
        nothing had to be failed; closing again does nothing and returns True."""
        with self._batch_lock:
            if self._closed:
                return True
            self._closed = True
        clean = self._native.close(max(0, int(timeout * 1000)))
        # A put_many that passed its closed check before close finishes quickly now (its puts
        # are refused); wait for it, so its batch is sealed before the last poll below.
        with self._batch_lock:
            self._batches_done.wait_for(lambda: self._active_put_many == 0)
        self._stopping.set()
        self._completer.join()
        with self._batch_lock:
            if self._batch_completer is not None:
                self._batch_completer.join()
        # A put racing with close may have queued its refusal after the threads stopped.
        _resolve_records(self._native.poll(1024, 0), self._pending)
        _resolve_batches(self._native.poll_batches(1024, 0), self._pending)
        return clean

    def metrics(self, window=60):
        """The producer's metrics over the last ``window`` seconds (1 to 120) as a dict: the
        JSON statistics document of docs/metrics.md."""
        return json.loads(self._native.metrics_json(window))

    @property
    def outstanding(self):
        """Records accepted and without a result yet."""
        return self._native.outstanding()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if hasattr(self, "_batch_completer"):
            self.close()


def _complete(poll, resolve, pending, stopping):
    """A completion thread: resolves futures with what `poll` (GIL released while it waits)
    returns, until close has set `stopping` and nothing is left."""
    while True:
        batch = poll(1024, 50)
        resolve(batch, pending)
        if not batch and stopping.is_set():
            return


def _resolve_records(batch, pending):
    for token, fields in batch:
        future = pending.pop(token, None)
        if future is None:
            continue
        result = PutResult(*fields)
        if result.success:
            future.set_result(result)
        else:
            future.set_exception(RecordFailedError(result))


def _resolve_batches(batch, pending):
    for token, results in batch:
        future = pending.pop(token, None)
        if future is not None:
            future.set_result(PutResults(results))


class PutResults(collections.abc.Sequence):
    """The results of a put_many, in the order of its records; ``failed`` counts the failures.
    PutResult objects are made when read."""

    __slots__ = ("_native",)

    def __init__(self, native):
        self._native = native

    def __len__(self):
        return len(self._native)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return PutResult(*self._native.get(index))

    @property
    def failed(self):
        return self._native.failed

    def __repr__(self):
        return f"PutResults({len(self)} records, {self.failed} failed)"


def deaggregate(record):
    """The user records inside one Kinesis record, for consumers.

    ``record`` is one entry of boto3's ``get_records(...)["Records"]`` (a dict with ``Data``,
    ``PartitionKey``, optionally ``ExplicitHashKey``), or bytes. Returns a list of dicts with
    the record's other fields plus ``Data`` (bytes), ``PartitionKey``, ``ExplicitHashKey``
    (None when absent), ``SubSequenceNumber`` and ``Aggregated``. A plain record comes back as
    one. Raises KinesisError (code "Corruption") for a damaged aggregate.
    """
    if isinstance(record, (bytes, bytearray, memoryview)):
        record = {"Data": bytes(record), "PartitionKey": ""}
    users = _native.deaggregate(bytes(record["Data"]), record.get("PartitionKey", ""),
                                record.get("ExplicitHashKey"))
    out = []
    for partition_key, explicit_hash_key, data, sub_sequence_number, aggregated in users:
        user = dict(record)
        user.update(Data=data, PartitionKey=partition_key, ExplicitHashKey=explicit_hash_key,
                    SubSequenceNumber=sub_sequence_number, Aggregated=aggregated)
        out.append(user)
    return out

"""kinesis-producer for Python: the C++ engine (aggregation, collection, per-shard rate limits,
retries, exactly one result per record) behind a small Pythonic API.

    from kinesis_producer import Producer

    with Producer(stream="clicks", region="us-east-1") as producer:
        future = producer.put(b"payload", partition_key="user-17")
        print(future.result().sequence_number)

Settings are the KPL's property names as keyword arguments (``RecordMaxBufferedTime=100``,
``AggregationEnabled=False``); see docs/python.md. The engine works on its own threads without
the GIL, and the GIL is released while waiting; a ``put`` holds it for a few microseconds, so
``put`` from many threads goes about as fast as from one, and ``put_many`` is faster still.
"""

import atexit
import collections.abc
import concurrent.futures
import json
import threading
import time
import weakref

from . import _async, _monitoring, _native

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


PutResult = _native.PutResult  # success, shard_id, sequence_number, sub_sequence_number,
# aggregated, error_code, error_message, attempts: read-only (a C type, python/src/put_result.h)


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

    Monitoring: the native log lines go to ``logging.getLogger("kinesis_producer")`` (with
    ``log_to_logging``, the default; else to stderr), each record carrying
    ``kinesis_component``; ``stats_callback`` gets the JSON statistics document (a dict) every
    ``StatsInterval`` ms. Both run on the producer's events thread, never on the engine's.
    """

    def __init__(self, stream=None, region=None, endpoint=None, properties=None,
                 stats_callback=None, log_to_logging=True, **kpl_settings):
        settings = []
        if region is not None:
            settings.append(("Region", region))
        if endpoint is not None:
            settings.append(("KinesisEndpoint", endpoint))
        settings.extend((key, _setting_text(value)) for key, value in kpl_settings.items())
        self._native = _native.NativeProducer(properties, settings, bool(log_to_logging),
                                              stats_callback is not None)
        self._stream = stream
        self._put = self._native.put_function(stream)
        if type(self).put is Producer.put:
            # The C function itself (same parameters, same future, same errors): calling it
            # straight saves a Python frame, a third of put's time under the GIL
            # (docs/python.md). A subclass that overrides put keeps its own.
            self.put = self._put
        self._closed = False
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._queuing = 0  # put_many and flush calls between their closed check and their queuing
        self._stopping = threading.Event()
        # The thread holds no reference to the Producer, so an unclosed one is still collected
        # (and closed by __del__).
        self._completer = threading.Thread(
            target=_complete, args=(self._native.resolve, self._stopping),
            name="kinesis-producer-results", daemon=True)
        self._completer.start()
        self._events = None
        if log_to_logging or stats_callback is not None:
            self._events = threading.Thread(
                target=_monitoring.run_events,
                args=(self._native, self._stopping, stats_callback),
                name="kinesis-producer-events", daemon=True)
            self._events.start()
        self._async_putter = _async.AsyncPutter()  # the puts of put_async (_async.py)
        _open_producers.add(self)

    def put(self, data, partition_key, explicit_hash_key=None, stream=None):
        """Puts one record; returns a concurrent.futures.Future of its PutResult (or of a
        RecordFailedError). ``data`` is bytes (str is encoded as UTF-8). Raises KinesisError at
        once when the record is refused (a rule broken, buffer full, producer closed)."""
        return self._put(data, partition_key, explicit_hash_key, stream)

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
        future = _RecordFuture()
        self._queue(lambda: self._native.put_many(stream, records, future))
        return future

    async def put_async(self, data, partition_key, explicit_hash_key=None, stream=None):
        """``await producer.put_async(...)``: the PutResult, or raises RecordFailedError
        (KinesisError when refused). Never blocks the event loop, also when the put waits for
        room in the buffer budget: the put runs on the producer's async-put thread, in the
        order of the put_async calls (_async.py)."""
        return await self._async_putter.submit(
            self._put, data, partition_key, explicit_hash_key, stream)

    async def put_many_async(self, records, stream=None):
        """``await producer.put_many_async(records)``: the PutResults of put_many, without
        blocking the event loop (on the same thread and in the same order as put_async)."""
        return await self._async_putter.submit(self.put_many, records, stream)

    async def flush_async(self, timeout=None, stream=None):
        """``await producer.flush_async(...)``: flush (same result) on a thread of the loop's
        default executor, once the put_async calls made before it have put their records; the
        event loop runs meanwhile."""
        await self._async_putter.submit(_no_op, chain=False)
        return await _async.in_thread(self.flush, timeout, stream)

    async def close_async(self, timeout=10.0):
        """``await producer.close_async(...)``: close (same result) without blocking the event
        loop, after the put_async calls made before it."""
        await self._async_putter.submit(_no_op, chain=False)
        return await _async.in_thread(self.close, timeout)

    def flush(self, timeout=None, stream=None):
        """Sends what is buffered (of ``stream``, or all) and waits until every record put
        before has its result and its future is resolved. Returns False when ``timeout``
        seconds passed first. From a done callback: KinesisError("FailedPrecondition") at
        once, nothing flushed (the callback runs on the thread that resolves those futures, so
        flush would wait for itself); close is allowed there."""
        if self._closed:
            return True  # close resolved every future
        if threading.current_thread() is self._completer:
            raise KinesisError(
                "FailedPrecondition",
                "flush called from a done callback: the futures it waits for are resolved by "
                "this thread once the callback returns, so it is refused; flush from another "
                "thread")
        deadline = None if timeout is None else time.monotonic() + timeout
        timeout_ms = 2**62 if timeout is None else max(0, int(timeout * 1000))
        if not self._native.flush(stream, timeout_ms):
            return False
        # Every result is queued now; the completion thread resolves the barrier after them.
        barrier = _RecordFuture()
        try:
            self._queue(lambda: self._native.barrier(barrier))
        except KinesisError:
            return True  # closed: close resolved every future
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            barrier.result(timeout=left)
        except concurrent.futures.TimeoutError:
            return False
        return True

    def close(self, timeout=10.0):
        """Stops taking records, flushes for up to ``timeout`` seconds, then fails what is left
        with ProducerClosed. Every future is resolved when it returns. Returns True when
        nothing had to be failed; closing again does nothing and returns True."""
        with self._lock:
            if self._closed:
                return True
            self._closed = True
        _open_producers.discard(self)
        clean = self._native.close(max(0, int(timeout * 1000)))
        # A put_many that passed its closed check before close finishes quickly now (its puts
        # are refused); wait for it, so its batch is queued before the completion thread stops.
        with self._lock:
            self._idle.wait_for(lambda: self._queuing == 0)
        self._stopping.set()
        if threading.current_thread() is not self._completer:  # not from a done callback
            self._completer.join()
        if self._events is not None and threading.current_thread() is not self._events:
            self._events.join()  # after delivering every line of the close
        self._async_putter.stop()
        # A put racing with close may have queued its result after the thread stopped.
        _finish(self._native.resolve(2**31, 0)[1])
        return clean

    def metrics(self, window=60):
        """The producer's metrics over the last ``window`` seconds (1 to 120) as a dict: the
        JSON statistics document of docs/metrics.md."""
        return json.loads(self._native.metrics_json(window))

    def counter(self, name, dimensions=None):
        """The application counter ``name`` at ``dimensions`` (a dict or (name, value) pairs):
        ``producer.counter("ClickEvents", {"Page": "/home"}).add()``. Uploaded to CloudWatch with
        the producer's metrics, exposed on the Prometheus endpoint and in ``metrics()``'s
        "application". Raises KinesisError naming the value and the limit: "InvalidArgument" for
        names CloudWatch refuses, "ResourceExhausted" past AppMetricsMaxSeries sets."""
        return _monitoring.Counter(self._native, name, dimensions)

    def histogram(self, name, dimensions=None, unit="Milliseconds"):
        """The application histogram ``name`` at ``dimensions``, in ``unit`` (CloudWatch's):
        ``producer.histogram("CheckoutTime").record(elapsed_ms)``. ``record`` raises KinesisError
        as ``counter`` does, and for a negative, NaN or infinite value."""
        return _monitoring.Histogram(self._native, name, dimensions, unit)

    def log(self, level, message, **fields):
        """Logs one of the application's lines through the producer's log (component "app"):
        with the producer's lines to ``logging`` (or stderr) and, with CloudwatchLogs=True, to
        CloudWatch Logs. ``level`` is a ``logging`` level."""
        self._native.log(_monitoring.native_level(level), str(message),
                         [(str(k), str(v)) for k, v in fields.items()])

    @property
    def configuration(self):
        """The settings as the producer applies them, by property name (strings; secrets
        "<redacted>")."""
        return json.loads(self._native.config_json())

    @property
    def outstanding(self):
        """Records accepted and without a result yet."""
        return self._native.outstanding()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close_async()

    def __del__(self):
        if hasattr(self, "_completer"):
            self.close()

    def _queue(self, call):
        """Runs `call`, which queues a completion, unless the producer is closed (KinesisError
        "FailedPrecondition"); close waits for calls in progress."""
        with self._lock:
            if self._closed:
                raise KinesisError("FailedPrecondition", "the producer is closed")
            self._queuing += 1
        try:
            call()
        finally:
            with self._lock:
                self._queuing -= 1
                if self._closed and self._queuing == 0:
                    self._idle.notify_all()


def _no_op():
    pass


# Producers not closed yet, closed at exit: a completion thread still waiting in C++ when the
# interpreter finalizes would be ended by Python from inside a destructor (std::terminate).
_open_producers = weakref.WeakSet()


@atexit.register
def _close_at_exit():
    for producer in list(_open_producers):
        producer.close()


# The states of concurrent.futures.Future that _RecordFuture uses (stable since Python 3.2).
_RUNNING = concurrent.futures._base.RUNNING
_FINISHED = concurrent.futures._base.FINISHED


class _RecordFuture(concurrent.futures.Future):
    """The concurrent.futures.Future of a put, cheap to make, to finish and to add a callback to.

    A plain Future makes a condition variable (a lock, a deque, two lists) when created and
    takes it to finish: at hundreds of thousands of puts per second that, and the garbage
    collector walking those objects, was most of the Python time per record. This one makes it
    only when a thread waits on it; a callback added before then goes to a plain list.

    ``put`` makes these in C++, and the completion path finishes a future nobody waits on by
    writing its slots from C++ (python/src/record_future.h); one a thread waits on goes through
    Future.set_result. Those writes run no Python code, so they are atomic under the GIL, and so
    are the two steps here that must not interleave with them (adding a callback, making the
    condition): no lock. It starts RUNNING (the record is in the engine; cancel() returns
    False). Every Future method keeps its meaning; result(), exception() and done() of a
    finished future return without a lock.
    """

    __slots__ = ("_state", "_result", "_exception", "_cv", "_waiter_list", "_callbacks")

    def __init__(self):  # not Future.__init__: see the class docstring
        self._state = _RUNNING
        self._result = None
        self._exception = None
        self._cv = None
        self._callbacks = None

    @property
    def _condition(self):
        cv = self._cv
        if cv is None:
            cv = _native.attach_condition(self, threading.Condition(), [], [])
        return cv

    @property
    def _waiters(self):
        self._condition  # noqa: B018  (made with the condition)
        return self._waiter_list

    @property
    def _done_callbacks(self):
        self._condition  # noqa: B018
        return self._callbacks

    def add_done_callback(self, fn):
        if not _native.add_callback(self, fn, []):  # waited on or finished
            super().add_done_callback(fn)  # under the condition, or at once when finished

    def done(self):
        return self._state == _FINISHED

    def result(self, timeout=None):
        if self._state != _FINISHED:
            return super().result(timeout)
        error = self._exception
        if error is None:
            return self._result
        try:
            raise error
        finally:
            error = self = None  # no cycle through the traceback's frame

    def exception(self, timeout=None):
        if self._state != _FINISHED:
            return super().exception(timeout)
        return self._exception


def _complete(resolve, stopping):
    """The completion thread: finishes futures with `resolve` (GIL released while it waits)
    until close has set `stopping` and nothing is left."""
    while True:
        taken, left = resolve(_POLL_MAX, 0 if stopping.is_set() else 50)
        if left:
            _finish(left)
        if not taken and stopping.is_set():
            return


# The completion thread takes every result queued (up to this many) each time it takes the GIL.
# While puts keep the GIL busy it gets it about once per sys.getswitchinterval() per putting
# thread; with 1,024 a turn the queue grew while puts ran (to 100,000 results and more from 4
# and 8 threads), since finishing a future in C++ costs well under a microsecond there is no
# reason to leave any (docs/python.md).
_POLL_MAX = 65536


def _finish(left):
    """What NativeProducer.resolve left for Python, in order: (future, value, error) for a
    future a thread waits on, (future,) for a finished future whose callbacks must run."""
    for action in left:
        future = action[0]
        if len(action) == 3:
            if action[2] is None:
                concurrent.futures.Future.set_result(future, action[1])
            else:
                concurrent.futures.Future.set_exception(future, action[2])
            continue
        for fn in future._callbacks:
            try:
                fn(future)
            except Exception:  # as Future does: logged, the others still run
                concurrent.futures._base.LOGGER.exception(
                    "exception calling callback for %r", future)


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
        return self._native.get(index)

    @property
    def failed(self):
        return self._native.failed

    def __repr__(self):
        return f"PutResults({len(self)} records, {self.failed} failed)"


_native.bind(_RecordFuture, _RUNNING, _FINISHED, RecordFailedError, PutResults)


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

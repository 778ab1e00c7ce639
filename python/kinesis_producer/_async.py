"""The asyncio forms of Producer's calls: put_async, put_many_async, flush_async, close_async.

None of them blocks the event loop. A put can wait in C++ for room in the buffer budget (up to
PutTimeout, 10 s by default), flush and close wait for the service: so the puts of put_async
run on one thread per producer ("kinesis-producer-async-puts"), in the order they were called
(records of one partition key keep their order), and flush_async and close_async wait on a
thread of the loop's default executor. The loop only queues the call and, later, receives the
result (loop.call_soon_threadsafe from the producer's completion thread).
"""

import asyncio
import queue
import threading

__all__ = ["AsyncPutter"]


class AsyncPutter:
    """Runs calls that may wait (put, put_many) on one thread of their own, in the order they
    were queued, and hands their results to asyncio futures.

    A call returns a concurrent.futures.Future (a record's or a batch's); the asyncio future
    gets its result or exception when it finishes. A call that raises (KinesisError at put)
    gives its exception to the asyncio future at once. The thread starts at the first call and
    ends at stop(). It holds no reference to the Producer.
    """

    def __init__(self):
        self._jobs = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread = None  # guarded by _lock
        self._stopped = False  # guarded by _lock

    def submit(self, call, *args, chain=True):
        """Queues ``call(*args)``; returns an asyncio future of the running loop: the result of
        the Future the call returns (``chain``), or what the call returns."""
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        with self._lock:
            if self._stopped:
                # After close: the call runs here, where it fails at once (the producer is
                # closed), never waits.
                self._run_one(loop, waiter, call, args, chain)
                return waiter
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="kinesis-producer-async-puts", daemon=True)
                self._thread.start()
            self._jobs.put((loop, waiter, call, args, chain))
        return waiter

    def stop(self):
        """Ends the thread once the calls queued before have run. Later calls run on the
        caller's thread (the producer is closed then: they fail at once)."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            thread = self._thread
            self._jobs.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self):
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._run_one(*job)

    @staticmethod
    def _run_one(loop, waiter, call, args, chain):
        try:
            value = call(*args)
        except BaseException as error:  # noqa: BLE001 (handed to the awaiting coroutine)
            _deliver(loop, waiter, None, error)
            return
        if not chain:
            _deliver(loop, waiter, value, None)
            return
        value.add_done_callback(lambda done: _deliver_future(loop, waiter, done))


def _deliver_future(loop, waiter, done):
    """A done callback (the producer's completion thread): the record's outcome to `waiter`."""
    error = done.exception()
    _deliver(loop, waiter, None if error is not None else done.result(), error)


def _deliver(loop, waiter, value, error):
    try:
        loop.call_soon_threadsafe(_settle, waiter, value, error)
    except RuntimeError:
        pass  # the loop is closed: nobody awaits the result any more


def _settle(waiter, value, error):
    if waiter.done():  # cancelled by its awaiter: the record was put all the same
        return
    if error is not None:
        waiter.set_exception(error)
    else:
        waiter.set_result(value)


async def in_thread(call, *args):
    """``call(*args)`` on a thread of the loop's default executor: the loop goes on meanwhile."""
    return await asyncio.get_running_loop().run_in_executor(None, call, *args)

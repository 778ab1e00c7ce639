"""Monitoring an application through its producer: application metrics (counter, histogram),
and the bridge that takes the native log lines and statistics documents to Python (the
``logging`` logger "kinesis_producer" and the stats callback). docs/python.md, "Monitoring".
"""

import json
import logging

LOGGER_NAME = "kinesis_producer"

# The native levels (0 debug .. 3 error) and logging's.
_TO_LOGGING = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)


def native_level(level):
    """A logging level (int) as the native one: below INFO is debug, ... ERROR and above error."""
    if level < logging.INFO:
        return 0
    if level < logging.WARNING:
        return 1
    if level < logging.ERROR:
        return 2
    return 3


def _dimensions(dimensions):
    if dimensions is None:
        return []
    items = dimensions.items() if hasattr(dimensions, "items") else dimensions
    return [(str(name), str(value)) for name, value in items]


class Counter:
    """An application counter (``producer.counter(name, dimensions)``): ``add(n=1)``."""

    __slots__ = ("_native", "_name", "_dimensions")

    def __init__(self, native, name, dimensions):
        self._native = native
        self._name = name
        self._dimensions = _dimensions(dimensions)
        native.counter_add(name, self._dimensions, 0)  # checked and made now

    def add(self, n=1):
        self._native.counter_add(self._name, self._dimensions, n)


class Histogram:
    """An application histogram (``producer.histogram(name, dimensions, unit)``):
    ``record(value)``, one sample (a duration in ``unit``, a size...)."""

    __slots__ = ("_native", "_name", "_dimensions", "_unit")

    def __init__(self, native, name, dimensions, unit):
        self._native = native
        self._name = name
        self._dimensions = _dimensions(dimensions)
        self._unit = unit

    def record(self, value):
        self._native.histogram_record(self._name, self._dimensions, self._unit, float(value))


def _text(line):
    """What a native line says after its time and level: "[component] message key=value", or
    the whole line in the json LogFormat."""
    if line.startswith("{"):
        return line
    start = line.find(" [")
    return line[start + 1:] if start >= 0 else line


def deliver(events, stats_callback):
    """Hands what NativeProducer.take_events returned to ``logging`` and ``stats_callback``."""
    logger = logging.getLogger(LOGGER_NAME)
    for event in events:
        if event[0] == "stats":
            if stats_callback is not None:
                try:
                    stats_callback(json.loads(event[1]))
                except Exception:  # as a Future's callback: logged, the next ones still run
                    logger.exception("exception in the stats callback")
            continue
        _, level, component, message, line = event
        python_level = _TO_LOGGING[level]
        if logger.isEnabledFor(python_level):
            logger.log(python_level, "%s", _text(line),
                       extra={"kinesis_component": component, "kinesis_message": message,
                              "kinesis_line": line})


def run_events(native, stopping, stats_callback):
    """The events thread: delivers log lines and statistics until `stopping` is set and the
    queue is empty."""
    while True:
        events = native.take_events(1024, 0 if stopping.is_set() else 100)
        if events:
            deliver(events, stats_callback)
        elif stopping.is_set():
            return

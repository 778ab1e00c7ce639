"""Monitoring from Python: application metrics through the producer (counters, histograms, the
cardinality limit as KinesisError), the native log lines routed to
logging.getLogger("kinesis_producer"), the application's own lines, the statistics callback,
and the effective configuration."""

import logging
import threading

import pytest

from kinesis_producer import KinesisError, Producer


def test_counter_and_histogram_show_in_the_metrics(sim):
    stream = sim.create_stream(shards=1)
    with Producer(stream=stream, AppMetricsMaxSeries=2, **sim.producer_settings()) as producer:
        clicks = producer.counter("ClickEvents", {"Page": "/home"})
        clicks.add()
        clicks.add(4)
        checkout = producer.histogram("CheckoutTime", {"Page": "/cart"})
        checkout.record(12.5)
        with pytest.raises(KinesisError) as refused:
            producer.counter("ClickEvents", {"Page": "/other"})  # a third set: past the limit
        assert refused.value.args[0] == "ResourceExhausted"
        assert "AppMetricsMaxSeries is 2" in refused.value.args[1]
        with pytest.raises(KinesisError) as bad:
            checkout.record(-1)
        assert bad.value.args[0] == "InvalidArgument"
        with pytest.raises(KinesisError):
            producer.counter("n" * 256)
        application = producer.metrics(60)["application"]
        by_name = {(m["name"], tuple(sorted(m["dimensions"].items()))): m for m in application}
        assert by_name[("ClickEvents", (("Page", "/home"),))]["sum"] == 5
        time = by_name[("CheckoutTime", (("Page", "/cart"),))]
        assert time["count"] == 1 and time["unit"] == "Milliseconds"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []
        self.seen = threading.Event()

    def emit(self, record):
        self.records.append(record)
        if getattr(record, "kinesis_component", None) == "app":
            self.seen.set()


def test_native_log_lines_go_to_the_kinesis_producer_logger(sim):
    logger = logging.getLogger("kinesis_producer")
    capture = _Capture()
    logger.addHandler(capture)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        # ThreadPoolSize is noted (WARNING, component config) when the producer starts.
        producer = Producer(ThreadPoolSize=4, **sim.producer_settings())
        producer.log(logging.WARNING, "cart full", items=12)
        producer.close()
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old_level)
    notes = [r for r in capture.records if getattr(r, "kinesis_component", "") == "config"]
    assert notes and notes[0].levelno == logging.WARNING
    assert "ThreadPoolSize=4 has no effect" in notes[0].getMessage()
    app = [r for r in capture.records if getattr(r, "kinesis_component", "") == "app"]
    assert len(app) == 1
    assert app[0].levelno == logging.WARNING
    assert app[0].getMessage() == "[app] cart full items=12"
    assert app[0].name == "kinesis_producer"


def test_stats_callback_gets_documents(sim):
    stream = sim.create_stream(shards=1)
    docs = []
    got = threading.Event()

    def on_stats(doc):
        docs.append(doc)
        if any("UserRecordsPut" in d["totals"] for d in docs):
            got.set()

    with Producer(stream=stream, StatsInterval=50, stats_callback=on_stats,
                  **sim.producer_settings()) as producer:
        for i in range(10):
            producer.put(b"x", partition_key=f"k{i}")
        producer.flush()
        assert got.wait(60), docs[-1:] if docs else "no document"
    assert isinstance(docs[0], dict) and docs[0]["type"] == "producer"


def test_effective_configuration(sim):
    with Producer(CollectionMaxSize=20971520, **sim.producer_settings()) as producer:
        config = producer.configuration
    assert config["CollectionMaxSize"] == "10485760"  # as applied
    assert config["RecordMaxBufferedTime"] == "20"
    assert config["AwsSecretKey"] == "<redacted>"
    assert "python-test-secret" not in str(config)

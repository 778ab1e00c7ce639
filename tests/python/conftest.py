"""Fixtures for the Python package's tests: the local servers CTest started (kinesis-sim and
kinesalite, ports in $KP_BACKEND_DIR), boto3 clients with fake static credentials on
127.0.0.1, and fresh streams."""

import os
import socket
import uuid

import boto3
import botocore.config
import pytest

CREDENTIALS = {"AwsAccessKeyId": "AKIDPYTHONTEST", "AwsSecretKey": "python-test-secret"}


def _port(name):
    directory = os.environ.get("KP_BACKEND_DIR")
    path = os.path.join(directory or "", f"{name}.port")
    if not directory or not os.path.exists(path):
        pytest.fail(f"no {path}: run through CTest (fixture {name})")
    with open(path) as f:
        return int(f.read())


def _client(endpoint):
    return boto3.client(
        "kinesis", region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id="AKIDPYTHONTEST", aws_secret_access_key="python-test-secret",
        config=botocore.config.Config(retries={"max_attempts": 1}))


class Backend:
    def __init__(self, name):
        self.endpoint = f"http://127.0.0.1:{_port(name)}"
        self.client = _client(self.endpoint)

    def create_stream(self, shards=2):
        name = f"py-{uuid.uuid4().hex[:12]}"
        self.client.create_stream(StreamName=name, ShardCount=shards)
        self.client.get_waiter("stream_exists").wait(
            StreamName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 300})
        return name

    def producer_settings(self):
        settings = dict(CREDENTIALS)
        settings.update(region="us-east-1", endpoint=self.endpoint, RecordMaxBufferedTime=20)
        return settings

    def read_all(self, stream):
        """Every Kinesis record in the stream, through boto3's GetRecords."""
        records = []
        shards = self.client.list_shards(StreamName=stream)["Shards"]
        for shard in shards:
            iterator = self.client.get_shard_iterator(
                StreamName=stream, ShardId=shard["ShardId"],
                ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while iterator:
                answer = self.client.get_records(ShardIterator=iterator, Limit=10000)
                records.extend(answer["Records"])
                if not answer["Records"]:
                    break
                iterator = answer.get("NextShardIterator")
        return records


@pytest.fixture(autouse=True)
def _no_metadata(monkeypatch):
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def sim():
    return Backend("kinesis_sim")


@pytest.fixture
def kinesalite():
    return Backend("kinesalite")


@pytest.fixture
def silent_endpoint():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()

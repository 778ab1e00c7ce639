// The producer against kinesalite (a Kinesis server we did not write), read back by code we
// did not write: the AWS SDK for JavaScript fetches every record and aws-kinesis-agg
// deaggregates it (node/read-stream.js). What comes back must be exactly what was put, where the
// producer said.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <random>
#include <sstream>

#include "kinesis/http_backend.h"
#include "kinesis/producer.h"
#include "wire/kinesis_client.h"
#include "http/curl_transport.h"

namespace kinesis {
namespace {

std::string BackendPort() {
  std::ifstream in(std::string(std::getenv("KP_BACKEND_DIR")) + "/kinesalite.port");
  std::string port;
  in >> port;
  return port;
}

std::string FromHex(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

ProducerConfig KinesaliteConfig(const std::string& endpoint) {
  ProducerConfig c;
  c.region = "us-east-1";
  c.kinesis_endpoint = endpoint;
  c.aws_access_key_id = "AKIDKINESALITE";
  c.aws_secret_key = "kinesalite-secret";
  c.record_max_buffered_time_ms = 50;
  c.max_connections = 4;
  return c;
}

Status CreateStream(const std::string& endpoint, const std::string& name, int shards) {
  auto transport = http::CurlTransport::Create({});
  if (!transport.ok()) return transport.status();
  std::shared_ptr<http::HttpTransport> t = std::move(transport.value());
  wire::KinesisClientOptions options;
  options.region = "us-east-1";
  options.endpoint_override = endpoint;
  auto client = wire::KinesisClient::Create(
      options, [] { return Result<auth::Credentials>(auth::Credentials{"AKID", "secret", "", {}}); },
      t);
  if (!client.ok()) return client.status();
  std::promise<Status> done;
  wire::CreateStreamRequest request;
  request.name = name;
  request.shard_count = shards;
  (*client)->CreateStream(request, [&](wire::ApiResult<wire::Done> r) {
    done.set_value(r.ok() ? Status::Ok() : r.error().ToStatus());
  });
  Status s = done.get_future().get();
  t.reset();
  return s;
}

TEST(KinesaliteInteropTest, WhatTheSdkReadsBackIsWhatWasPut) {
  std::string endpoint = "http://127.0.0.1:" + BackendPort();
  const std::string stream = "interop-" + std::to_string(getpid());
  ASSERT_TRUE(CreateStream(endpoint, stream, 3).ok());
  usleep(200000);  // kinesalite makes the stream ACTIVE right after createStreamMs (0)

  struct Put {
    std::string key, data;
    PutResult result;
  };
  std::vector<Put> puts;
  std::mt19937_64 rng(9);
  const char* pieces[] = {"a", "Z", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "-"};
  for (int i = 0; i < 3000; ++i) {
    Put p;
    p.key = "k";
    for (size_t n = 1 + rng() % 20; n > 0; --n) p.key += pieces[rng() % 6];
    size_t size = i % 500 == 7 ? 60000 : rng() % 300;  // a few too large to aggregate
    p.data.resize(size);
    for (auto& c : p.data) c = static_cast<char>(rng());
    puts.push_back(std::move(p));
  }
  // Half through an aggregating producer, half through one that sends plain records.
  for (bool aggregate : {true, false}) {
    ProducerConfig c = KinesaliteConfig(endpoint);
    c.aggregation_enabled = aggregate;
    auto backend = CreateHttpBackend(c);
    ASSERT_TRUE(backend.ok()) << backend.status().ToString();
    auto producer = Producer::Create(c, backend.value()).value();
    std::vector<std::future<PutResult>> futures;
    for (size_t i = aggregate ? 0 : 1; i < puts.size(); i += 2) {
      auto f = producer->Put(stream, puts[i].key, puts[i].data);
      ASSERT_TRUE(f.ok()) << f.status().ToString();
      futures.push_back(std::move(f.value()));
    }
    ASSERT_TRUE(producer->Flush().get().ok());
    size_t j = 0;
    for (size_t i = aggregate ? 0 : 1; i < puts.size(); i += 2) {
      puts[i].result = futures[j++].get();
      ASSERT_TRUE(puts[i].result.success) << puts[i].result.error_code << ": "
                                          << puts[i].result.error_message;
      EXPECT_EQ(puts[i].result.aggregated, aggregate && puts[i].data.size() < 50000);
    }
  }

  char dir[] = "/tmp/kp-kinesalite-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string out = std::string(dir) + "/records.jsonl";
  std::string command = std::string(KP_NODE) + " " + KP_SOURCE_DIR + "/node/read-stream.js " +
                        endpoint + " " + stream + " " + out;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  std::map<std::tuple<std::string, std::string, uint64_t>, std::pair<std::string, std::string>>
      read_back;  // (shard, sequence, sub-sequence) -> (key, data)
  simdjson::dom::parser parser;
  std::ifstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element r = parser.parse(line);
    read_back[{std::string(std::string_view(r["shardId"])),
               std::string(std::string_view(r["sequenceNumber"])),
               uint64_t(r["subSequenceNumber"])}] = {std::string(std::string_view(r["partitionKey"])),
                                                     FromHex(std::string_view(r["data"]))};
  }
  std::system((std::string("rm -rf ") + dir).c_str());
  EXPECT_EQ(read_back.size(), puts.size()) << "every record once, nothing else";
  for (size_t i = 0; i < puts.size(); ++i) {
    const PutResult& r = puts[i].result;
    auto it = read_back.find({r.shard_id, r.sequence_number, r.sub_sequence_number});
    ASSERT_NE(it, read_back.end()) << "record " << i << " not found at " << r.shard_id << "/"
                                   << r.sequence_number << "/" << r.sub_sequence_number;
    EXPECT_EQ(it->second.first, puts[i].key) << "record " << i;
    EXPECT_EQ(it->second.second, puts[i].data) << "record " << i;
  }
}

}  // namespace
}  // namespace kinesis

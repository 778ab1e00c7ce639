// Blocking helpers over KinesisClient for the integration tests against local servers.
#ifndef KINESIS_TESTS_CLIENT_BACKEND_CLIENT_H_
#define KINESIS_TESTS_CLIENT_BACKEND_CLIENT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "http/curl_transport.h"
#include "wire/kinesis_client.h"

namespace kinesis::wire::testing {

// The port CTest's fixture wrote for back-end `name`; 0 when absent.
inline int BackendPort(const std::string& name) {
  const char* dir = std::getenv("KP_BACKEND_DIR");
  if (dir == nullptr) return 0;
  std::ifstream in(std::string(dir) + "/" + name + ".port");
  int port = 0;
  in >> port;
  return port;
}

inline auth::Credentials TestKeys() { return {"AKIDTEST", "not-a-secret", "", std::nullopt}; }

// Runs `call(callback)` and waits for the callback's result.
template <typename T, typename F>
ApiResult<T> Wait(F&& call) {
  std::promise<ApiResult<T>> promise;
  auto future = promise.get_future();
  call([&promise](ApiResult<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

struct Backend {
  std::shared_ptr<http::CurlTransport> transport;
  std::unique_ptr<KinesisClient> client;
  std::string url;

  Backend(const std::string& name, Protocol protocol,
          http::HttpVersion version = http::HttpVersion::kHttp1)
      : Backend(BackendPort(name), protocol, version) {
    EXPECT_NE(BackendPort(name), 0) << "no port file for " << name << " (run through ctest)";
  }
  // A back-end the test started itself on 127.0.0.1:port.
  Backend(int port, Protocol protocol, http::HttpVersion version = http::HttpVersion::kHttp1) {
    url = "http://127.0.0.1:" + std::to_string(port);
    http::CurlTransportOptions options;
    options.http_version = version;
    auto t = http::CurlTransport::Create(options);
    EXPECT_TRUE(t.ok());
    transport = std::move(*t);
    KinesisClientOptions client_options;
    client_options.region = "us-east-1";
    client_options.endpoint_override = url;
    client_options.protocol = protocol;
    auto c = KinesisClient::Create(
        client_options, [] { return Result<auth::Credentials>(TestKeys()); }, transport);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    client = std::move(*c);
  }
  ~Backend() {
    // The transport completes its requests before the client they refer to goes.
    transport.reset();
  }

  void CreateActiveStream(const std::string& stream, int shards) {
    auto created = Wait<Done>([&](auto cb) { client->CreateStream({stream, shards, false}, cb); });
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    for (int i = 0; i < 100; ++i) {
      auto summary = Wait<StreamSummary>([&](auto cb) {
        client->DescribeStreamSummary({stream, ""}, cb);
      });
      ASSERT_TRUE(summary.ok()) << summary.error().ToString();
      if (summary->stream_status == "ACTIVE") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "stream " << stream << " never became ACTIVE";
  }

  std::vector<Shard> AllShards(const std::string& stream, int page_size = 0) {
    std::vector<Shard> shards;
    ListShardsRequest request;
    request.stream.name = stream;
    request.max_results = page_size;
    std::string token;
    for (int page = 0; page < 100; ++page) {
      request.next_token = token;
      auto r = Wait<ListShardsResult>([&](auto cb) { client->ListShards(request, cb); });
      EXPECT_TRUE(r.ok()) << r.error().ToString();
      if (!r.ok()) break;
      shards.insert(shards.end(), r->shards.begin(), r->shards.end());
      token = r->next_token;
      if (token.empty()) break;
    }
    return shards;
  }

  // Every record of the stream, as (partition key, data) sorted.
  std::vector<std::pair<std::string, std::string>> ReadAll(const std::string& stream) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const Shard& shard : AllShards(stream)) {
      GetShardIteratorRequest request;
      request.stream.name = stream;
      request.shard_id = shard.shard_id;
      auto it = Wait<std::string>([&](auto cb) { client->GetShardIterator(request, cb); });
      EXPECT_TRUE(it.ok()) << it.error().ToString();
      if (!it.ok()) continue;
      std::string iterator = it.value();
      for (int i = 0; i < 20 && !iterator.empty(); ++i) {
        auto r = Wait<GetRecordsResult>([&](auto cb) { client->GetRecords({iterator, 0}, cb); });
        EXPECT_TRUE(r.ok()) << r.error().ToString();
        if (!r.ok() || r->records.empty()) break;
        for (auto& rec : r->records) out.emplace_back(rec.partition_key, rec.data);
        iterator = r->next_shard_iterator;
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

// `n` records with binary data (every byte value) and distinct keys.
inline std::vector<std::pair<std::string, std::string>> MakeRecords(int n, size_t size) {
  std::vector<std::pair<std::string, std::string>> records;
  for (int i = 0; i < n; ++i) {
    std::string data(size, '\0');
    for (size_t j = 0; j < size; ++j) data[j] = static_cast<char>((i * 31 + j) & 0xFF);
    records.emplace_back("key-" + std::to_string(i), std::move(data));
  }
  std::sort(records.begin(), records.end());
  return records;
}

inline std::vector<PutRecordsEntry> Entries(
    const std::vector<std::pair<std::string, std::string>>& r) {
  std::vector<PutRecordsEntry> entries;
  for (const auto& [key, data] : r) entries.push_back({data, key, ""});
  return entries;
}

}  // namespace kinesis::wire::testing

#endif  // KINESIS_TESTS_CLIENT_BACKEND_CLIENT_H_

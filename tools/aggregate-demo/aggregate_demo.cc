// kinesis-aggregate-demo: builds aggregated Kinesis records for a generated click-stream, one
// aggregate per shard at a time, the way the producer's per-shard aggregators do. Uses the
// public API only.
//
//   kinesis-aggregate-demo SHARDS_FILE RECORDS OUT_FILE
//     SHARDS_FILE: one line per open shard: "<shard id> <starting hash key> <ending hash key>"
//     OUT_FILE:    one line per aggregate: "<shard id> <explicit hash key> <user records> <hex>"
//
// Prints what it built. Exits 1 on bad input, naming it.
#include <chrono>
#include <cstdint>
#include <deque>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kinesis/aggregation.h"
#include "kinesis/hash_key.h"
#include "kinesis/user_record.h"

namespace {

struct Shard {
  std::string id;
  kinesis::HashKey first, last;
  kinesis::AggregateEncoder encoder;
  kinesis::HashKey aggregate_hash;  // the first member's hash: where the aggregate must land
  // Owned storage for the records being aggregated: the encoder borrows them until the
  // aggregate is built. A deque never moves its elements when it grows.
  std::deque<std::string> keys, data;
};

// The KPL's default AggregationMaxSize.
constexpr size_t kMaxAggregateBytes = 51200;

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: kinesis-aggregate-demo SHARDS_FILE RECORDS OUT_FILE\n";
    return 2;
  }
  std::ifstream shards_in(argv[1]);
  if (!shards_in) {
    std::cerr << "cannot read shard file '" << argv[1] << "'\n";
    return 1;
  }
  std::vector<Shard> shards;
  std::string line;
  while (std::getline(shards_in, line)) {
    std::istringstream fields(line);
    std::string id, first, last;
    if (!(fields >> id >> first >> last)) continue;
    kinesis::Result<kinesis::HashKey> a = kinesis::HashKey::Parse(first);
    kinesis::Result<kinesis::HashKey> b = kinesis::HashKey::Parse(last);
    if (!a.ok() || !b.ok()) {
      std::cerr << "bad shard line '" << line
                << "': " << (a.ok() ? b.status() : a.status()).ToString() << "\n";
      return 1;
    }
    shards.push_back(Shard{id, *a, *b, {}, {}, {}, {}});
  }
  char* end = nullptr;
  int64_t records = std::strtoll(argv[2], &end, 10);
  if (shards.empty() || records <= 0 || *end != '\0') {
    std::cerr << "need at least one shard and a positive record count\n";
    return 1;
  }
  std::ofstream out(argv[3]);
  size_t aggregates = 0, bytes = 0, user_bytes = 0;

  auto flush = [&](Shard& s) {
    if (s.encoder.empty()) return;
    std::string aggregate = s.encoder.Build();
    out << s.id << ' ' << s.aggregate_hash.ToString() << ' ' << s.encoder.count() << ' '
        << Hex(aggregate) << '\n';
    ++aggregates;
    bytes += aggregate.size();
    s.encoder.Clear();
    s.keys.clear();
    s.data.clear();
  };

  std::mt19937_64 rng(42);
  const char* pages[] = {"/", "/cart", "/checkout", "/search?q=shoes", "/product/1234", "/help"};
  auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < records; ++i) {
    std::string user = "user-" + std::to_string(rng() % 5000);
    std::string event = "{\"user\":\"" + user + "\",\"page\":\"" + pages[rng() % 6] +
                        "\",\"ts\":" + std::to_string(1764000000000 + i) + "}";
    kinesis::Result<kinesis::HashKey> hash =
        kinesis::ValidateUserRecord({user, event, std::nullopt}, kinesis::RecordLimits{});
    if (!hash.ok()) {
      std::cerr << "record " << i << ": " << hash.status().ToString() << "\n";
      return 1;
    }
    Shard* shard = nullptr;
    for (Shard& s : shards) {
      if (*hash >= s.first && *hash <= s.last) shard = &s;
    }
    if (shard == nullptr) {
      std::cerr << "no shard holds hash key " << hash->ToString() << "\n";
      return 1;
    }
    user_bytes += event.size();
    auto add = [&](Shard& s) {
      if (s.encoder.empty()) s.aggregate_hash = *hash;
      s.keys.push_back(user);
      s.data.push_back(event);
      if (s.encoder.AddIfFits({s.keys.back(), s.data.back(), std::nullopt}, kMaxAggregateBytes)) {
        return true;
      }
      s.keys.pop_back();
      s.data.pop_back();
      return false;
    };
    if (!add(*shard)) {
      flush(*shard);
      add(*shard);  // a small record always fits an empty aggregate
    }
  }
  for (Shard& s : shards) flush(s);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "aggregated " << records << " user records (" << user_bytes
            << " bytes of data) into " << aggregates << " Kinesis records (" << bytes
            << " bytes) for " << shards.size() << " shards in " << seconds << " s: "
            << static_cast<double>(records) / static_cast<double>(aggregates)
            << " user records per Kinesis record\n";
  return 0;
}

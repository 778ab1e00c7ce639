// Random user records for the aggregation tests: Unicode keys, explicit hash keys, empty data.
#ifndef KINESIS_AGGREGATION_AGGREGATION_TEST_UTIL_H_
#define KINESIS_AGGREGATION_AGGREGATION_TEST_UTIL_H_

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kinesis/user_record.h"

namespace kinesis::testing {

struct OwnedRecord {
  std::string partition_key;
  std::string data;
  std::optional<std::string> explicit_hash_key;

  UserRecordView view() const {
    std::optional<std::string_view> ehk;
    if (explicit_hash_key) ehk = *explicit_hash_key;
    return {partition_key, data, ehk};
  }
};

inline std::string RandomKey(std::mt19937_64& rng) {
  static const char* kPieces[] = {
      "a", "Z", "7", "-", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xe4\xb8\xad"};
  std::string key;
  size_t n = 1 + rng() % 40;
  for (size_t i = 0; i < n; ++i) key += kPieces[rng() % 8];
  return key;
}

// `count` records; about a quarter reuse an earlier key, a third carry an explicit hash key.
inline std::vector<OwnedRecord> RandomRecords(std::mt19937_64& rng, size_t count,
                                              size_t max_data = 300) {
  std::vector<OwnedRecord> out;
  for (size_t i = 0; i < count; ++i) {
    OwnedRecord r;
    r.partition_key =
        (!out.empty() && rng() % 4 == 0) ? out[rng() % out.size()].partition_key : RandomKey(rng);
    r.data.resize(rng() % (max_data + 1));
    for (auto& c : r.data) c = static_cast<char>(rng());
    if (rng() % 3 == 0) {
      r.explicit_hash_key = std::to_string(rng()) + std::to_string(rng() % 1000000);
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace kinesis::testing

#endif  // KINESIS_AGGREGATION_AGGREGATION_TEST_UTIL_H_

// Our aggregation format against the official aggregation module (aws-kinesis-agg 4.2.8 from
// npm, code we did not write), in both directions:
//   - its deaggregator, with checksums on, reads our aggregates back byte for byte;
//   - our decoder reads the aggregates its aggregator makes.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "aggregation/aggregation_test_util.h"
#include "kinesis/aggregation.h"

namespace kinesis {
namespace {

using testing::OwnedRecord;

std::string ToHex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string FromHex(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

std::string_view FirstExplicitHashKey(const std::vector<OwnedRecord>& records) {
  for (const OwnedRecord& r : records) {
    if (r.explicit_hash_key) return *r.explicit_hash_key;
  }
  return {};
}

class NpmInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kp-agg-interop-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  void RunPeer(const std::string& args) {
    std::string command =
        std::string(KP_NODE) + " " + KP_SOURCE_DIR + "/tests/aggregation/agg_peer.js " + args;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  std::string dir_;
};

TEST_F(NpmInteropTest, OfficialDeaggregatorReadsOurAggregates) {
  std::mt19937_64 rng(2024);
  // Aggregates of many sizes, then edge cases: empty data, 1 MiB data, one record.
  std::vector<std::vector<OwnedRecord>> aggregates;
  size_t total = 0;
  for (size_t count : {1, 2, 10, 100, 500, 1000, 1500}) {
    aggregates.push_back(testing::RandomRecords(rng, count));
    total += count;
  }
  aggregates.push_back({{"empty", "", std::nullopt}, {"also-empty", "", "0"}});
  aggregates.push_back({{"big", std::string(kMiB, 'M'), std::nullopt}});
  ASSERT_GE(total, 3000u);

  std::ofstream in(dir_ + "/in.jsonl");
  AggregateEncoder encoder;
  for (const auto& records : aggregates) {
    encoder.Clear();
    for (const OwnedRecord& r : records) encoder.Add(r.view());
    in << "{\"partitionKey\":\"outer\",\"data\":\"" << ToHex(encoder.Build()) << "\"}\n";
  }
  in.close();
  RunPeer("deaggregate " + dir_ + "/in.jsonl " + dir_ + "/out.jsonl");

  std::ifstream out(dir_ + "/out.jsonl");
  simdjson::dom::parser parser;
  std::string line;
  size_t index = 0;
  while (std::getline(out, line)) {
    ASSERT_LT(index, aggregates.size());
    const std::vector<OwnedRecord>& expected = aggregates[index];
    simdjson::dom::element doc = parser.parse(line);
    std::string_view error;
    ASSERT_NE(doc["error"].get(error), simdjson::SUCCESS) << "aggregate " << index << ": " << error;
    simdjson::dom::array records = doc["records"];
    ASSERT_EQ(records.size(), expected.size()) << "aggregate " << index;
    size_t i = 0;
    for (simdjson::dom::element r : records) {
      const OwnedRecord& e = expected[i];
      EXPECT_EQ(std::string_view(r["partitionKey"]), e.partition_key);
      EXPECT_EQ(FromHex(std::string_view(r["data"])), e.data)
          << "aggregate " << index << " record " << i;
      EXPECT_EQ(uint64_t(r["subSequenceNumber"]), i);
      std::string_view ehk;
      bool has_ehk = r["explicitHashKey"].get(ehk) == simdjson::SUCCESS;
      if (e.explicit_hash_key) {
        EXPECT_TRUE(has_ehk && ehk == *e.explicit_hash_key) << "record " << i;
      } else if (has_ehk) {
        // The module reads an absent index as protobufjs's default, 0, and so reports the
        // aggregate's first explicit hash key for records that have none: its quirk, which
        // consumers of it must live with. Any other value would be our bug.
        EXPECT_EQ(ehk, FirstExplicitHashKey(expected)) << "record " << i;
      }
      ++i;
    }
    ++index;
  }
  EXPECT_EQ(index, aggregates.size());
}

TEST_F(NpmInteropTest, OfficialDeaggregatorRejectsOurAggregateWithABadChecksum) {
  AggregateEncoder encoder;
  encoder.Add({"k", "data", std::nullopt});
  std::string bytes = encoder.Build();
  bytes.back() ^= 1;
  std::ofstream(dir_ + "/in.jsonl")
      << "{\"partitionKey\":\"o\",\"data\":\"" << ToHex(bytes) << "\"}\n";
  RunPeer("deaggregate " + dir_ + "/in.jsonl " + dir_ + "/out.jsonl");
  std::ifstream out(dir_ + "/out.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(out, line));
  EXPECT_NE(line.find("checksum"), std::string::npos) << line;
}

TEST_F(NpmInteropTest, WeReadTheOfficialAggregatorsRecords) {
  simdjson::dom::parser parser;
  for (int seed : {1, 2, 3}) {
    std::string file = dir_ + "/agg-" + std::to_string(seed) + ".json";
    RunPeer("aggregate " + std::to_string(seed) + " 4000 " + file);
    simdjson::dom::element doc = parser.load(file);
    simdjson::dom::array inputs = doc["inputs"];
    simdjson::dom::array aggregates = doc["aggregates"];
    ASSERT_GT(aggregates.size(), 1u) << "the workload should fill more than one aggregate";

    std::vector<std::string> bytes;  // keeps the decoded views alive
    std::vector<DeaggregatedRecord> decoded;
    for (simdjson::dom::element a : aggregates) {
      bytes.push_back(FromHex(std::string_view(a["data"])));
    }
    for (size_t i = 0; i < bytes.size(); ++i) {
      ASSERT_TRUE(IsAggregated(bytes[i]));
      size_t before = decoded.size();
      Status s = Deaggregate(bytes[i], "outer", std::nullopt, {}, &decoded);
      ASSERT_TRUE(s.ok()) << "seed " << seed << " aggregate " << i << ": " << s.ToString();
      EXPECT_EQ(decoded[before].sub_sequence_number, 0u);
    }
    ASSERT_EQ(decoded.size(), inputs.size()) << "seed " << seed;
    size_t i = 0;
    for (simdjson::dom::element in : inputs) {
      const DeaggregatedRecord& got = decoded[i];
      EXPECT_EQ(got.partition_key, std::string_view(in["partitionKey"])) << "record " << i;
      EXPECT_EQ(got.data, FromHex(std::string_view(in["data"]))) << "record " << i;
      std::string_view ehk;
      bool has_ehk = in["explicitHashKey"].get(ehk) == simdjson::SUCCESS;
      ASSERT_EQ(got.explicit_hash_key.has_value(), has_ehk) << "record " << i;
      if (has_ehk) {
        EXPECT_EQ(*got.explicit_hash_key, ehk);
      }
      ++i;
    }
  }
}

}  // namespace
}  // namespace kinesis

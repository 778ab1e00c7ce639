// kinesis-put end to end, one run of the real program against kinesis-sim per test, the
// stream read back and deaggregated: what arrived is exactly what the input held, and every
// failure path says where and exits non-zero.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <set>

#include "put_harness.h"

namespace kinesis::put_test {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(PutCommandTest, LinesFromAFileAllArriveOnce) {
  PutHarness h;
  WriteFile(h.Path("in.txt"), NumberedLines("a", 0, 5000));
  RunResult r = h.Run({h.Path("in.txt"), "--summary-json", h.Path("summary.json")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  auto counts = h.DataCounts();
  ASSERT_EQ(counts.size(), 5000u);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(counts["line-a-" + std::to_string(i)], 1) << i;
  std::string summary = ReadFile(h.Path("summary.json"));
  EXPECT_EQ(JsonNumber(summary, "records_read"), 5000);
  EXPECT_EQ(JsonNumber(summary, "records_accepted"), 5000);
  EXPECT_EQ(JsonNumber(summary, "records_succeeded"), 5000);
  EXPECT_EQ(JsonNumber(summary, "records_failed"), 0);
  EXPECT_GT(JsonNumber(summary, "requests"), 0);
  // Aggregated: fewer Kinesis records than user records, as many as the stream holds.
  EXPECT_LT(JsonNumber(summary, "kinesis_records"), 5000);
  EXPECT_EQ(JsonNumber(summary, "kinesis_records"),
            static_cast<long long>(h.sim().Records("s").size()));
  EXPECT_EQ(JsonNumber(summary, "exit_status"), 0);
  EXPECT_TRUE(Has(r.err, "succeeded          5,000")) << r.err;
}

TEST(PutCommandTest, StdinWithoutAggregationAndAFixedKey) {
  PutHarness h;
  WriteFile(h.Path("stdin.txt"), NumberedLines("b", 0, 300));
  RunResult r = h.Run({"--aggregation", "off", "--partition-key", "fixed"}, h.Path("stdin.txt"));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  auto users = h.ReadBack();
  ASSERT_EQ(users.size(), 300u);
  EXPECT_EQ(h.sim().Records("s").size(), 300u);  // one Kinesis record each
  for (const UserRecord& u : users) EXPECT_EQ(u.partition_key, "fixed");
}

TEST(PutCommandTest, JsonLinesKeysFromFieldsAndBadLinesReportedWithLine) {
  PutHarness h;
  std::string input =
      R"({"user": {"id": "u1"}, "h": "5", "n": 1})"
      "\n"
      R"({"user": {"id": "u2"}, "h": "340282366920938463463374607431768211455", "n": 2})"
      "\n"
      R"({"user": {"id": "u3"}, "h": "7", "n": 3)"
      "\n"  // line 3: malformed
      R"({"user": {"name": "x"}, "h": "7", "n": 4})"
      "\n"  // line 4: no user.id
      R"({"user": {"id": "u5"}, "h": "9", "n": 5})"
      "\n";
  WriteFile(h.Path("in.jsonl"), input);
  RunResult r =
      h.Run({"--format", "jsonl", "--partition-key-field", "user.id", "--explicit-hash-key-field",
             "h", h.Path("in.jsonl"), "--summary-json", h.Path("s.json")});
  EXPECT_EQ(r.exit_status, 1) << r.err;
  EXPECT_TRUE(Has(r.err, "in.jsonl:3: malformed JSON")) << r.err;
  EXPECT_TRUE(Has(r.err, "in.jsonl:4: missing key field 'user.id'")) << r.err;
  std::string summary = ReadFile(h.Path("s.json"));
  EXPECT_EQ(JsonNumber(summary, "malformed_json"), 1);
  EXPECT_EQ(JsonNumber(summary, "missing_key_field"), 1);
  EXPECT_EQ(JsonNumber(summary, "records_succeeded"), 3);
  std::map<std::string, std::string> hash_by_key;
  for (const UserRecord& u : h.ReadBack()) hash_by_key[u.partition_key] = u.explicit_hash_key;
  EXPECT_EQ(hash_by_key,
            (std::map<std::string, std::string>{
                {"u1", "5"}, {"u2", "340282366920938463463374607431768211455"}, {"u5", "9"}}));
}

TEST(PutCommandTest, BinaryLengthPrefixedRecordsAreBinarySafe) {
  PutHarness h;
  std::vector<std::string> records = {std::string("a\nb\0c", 5), std::string(1, '\xff'),
                                      std::string(1000, '\n')};
  std::string input;
  for (const std::string& rec : records) {
    uint32_t n = static_cast<uint32_t>(rec.size());
    input += {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
              static_cast<char>(n)};
    input += rec;
  }
  WriteFile(h.Path("in.bin"), input);
  RunResult r = h.Run({"--format", "binary", h.Path("in.bin")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::multiset<std::string> got;
  for (const UserRecord& u : h.ReadBack()) got.insert(u.data);
  EXPECT_EQ(got, std::multiset<std::string>(records.begin(), records.end()));
}

TEST(PutCommandTest, BadFlagHelpAndVersion) {
  PutHarness h;
  RunResult bad = h.Run({"--no-such-flag"});
  EXPECT_EQ(bad.exit_status, 2);
  EXPECT_TRUE(Has(bad.err, "unknown flag --no-such-flag")) << bad.err;
  RunResult value = h.Run({"--format", "csv"});
  EXPECT_EQ(value.exit_status, 2);
  EXPECT_TRUE(Has(value.err, "--format takes one of lines, jsonl, binary")) << value.err;
  WriteFile(h.Path("garbage.state"), "not a checkpoint\n");
  WriteFile(h.Path("in.txt"), "x\n");
  RunResult cannot = h.Run({"--checkpoint", h.Path("garbage.state"), h.Path("in.txt")});
  EXPECT_EQ(cannot.exit_status, 3);
  EXPECT_TRUE(Has(cannot.err, "garbage.state:1: not a kinesis-put checkpoint")) << cannot.err;
  RunResult help = h.Run({"--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_TRUE(Has(help.out, "usage: kinesis-put")) << help.out;
  EXPECT_TRUE(h.sim().Records("s").empty());
}

TEST(PutCommandTest, UnreadableFileIsReportedAndTheOthersAreSent) {
  PutHarness h;
  WriteFile(h.Path("good.txt"), NumberedLines("g", 0, 10));
  RunResult r = h.Run({h.Path("missing.txt"), h.Path("good.txt")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_TRUE(Has(r.err, "missing.txt: cannot read: No such file or directory")) << r.err;
  EXPECT_EQ(h.DataCounts().size(), 10u);
}

TEST(PutCommandTest, OversizedRecordIsReportedWithItsLine) {
  PutHarness h;
  WriteFile(h.Path("in.txt"), "short\n" + std::string(300, 'x') + "\nalso short\n");
  RunResult r = h.Run({"--max-record-size", "100", h.Path("in.txt")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_TRUE(Has(r.err, "in.txt:2: record of 300 bytes is over the limit of 100")) << r.err;
  auto counts = h.DataCounts();
  EXPECT_EQ(counts, (std::map<std::string, int>{{"short", 1}, {"also short", 1}}));
}

TEST(PutCommandTest, StrictStopsAtTheFirstBadInput) {
  PutHarness h;
  WriteFile(h.Path("in.jsonl"),
            "{\"k\": \"a\"}\n{\"k\": \"b\"}\n{broken\n{\"k\": \"d\"}\n{\"k\": \"e\"}\n");
  RunResult r =
      h.Run({"--format", "jsonl", "--partition-key-field", "k", "--strict", h.Path("in.jsonl")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_TRUE(Has(r.err, "in.jsonl:3: malformed JSON")) << r.err;
  EXPECT_TRUE(Has(r.err, "--strict")) << r.err;
  std::set<std::string> keys;
  for (const UserRecord& u : h.ReadBack()) keys.insert(u.partition_key);
  EXPECT_EQ(keys, (std::set<std::string>{"a", "b"}));  // nothing after line 3
}

TEST(PutCommandTest, FailedRecordsGoToFailedOutAndCanBeSentAgain) {
  PutHarness h(/*shards=*/2);
  // Every record of shard 0 is throttled, and throttled records fail at once.
  ASSERT_TRUE(
      h.sim().SetFaults("record_throttle_rate=1,throttle_shards=shardId-000000000000").ok());
  WriteFile(h.Path("in.txt"), NumberedLines("f", 0, 400));
  RunResult r = h.Run({"--set", "FailIfThrottled=true", "--failed-out", h.Path("failed.txt"),
                       "--summary-json", h.Path("s.json"), h.Path("in.txt")});
  EXPECT_EQ(r.exit_status, 1) << r.err;
  std::string summary = ReadFile(h.Path("s.json"));
  EXPECT_GT(JsonNumber(summary, "ProvisionedThroughputExceededException"), 0) << summary;
  EXPECT_GT(JsonNumber(summary, "throttled"), 0);
  auto arrived = h.DataCounts();
  std::string failed = ReadFile(h.Path("failed.txt"));
  std::set<std::string> failed_lines;
  for (size_t at = 0, nl; (nl = failed.find('\n', at)) != std::string::npos; at = nl + 1) {
    failed_lines.insert(failed.substr(at, nl - at));
  }
  EXPECT_EQ(static_cast<long long>(failed_lines.size()), JsonNumber(summary, "records_failed"));
  EXPECT_FALSE(failed_lines.empty());
  // The failed-out file holds exactly the lines that did not arrive.
  for (int i = 0; i < 400; ++i) {
    std::string line = "line-f-" + std::to_string(i);
    EXPECT_NE(arrived.count(line) > 0, failed_lines.count(line) > 0) << line;
  }
  h.sim().ClearFaults();
  RunResult again = h.Run({h.Path("failed.txt")});
  EXPECT_EQ(again.exit_status, 0) << again.err;
  EXPECT_EQ(h.DataCounts().size(), 400u);
}

TEST(PutCommandTest, ALostAnswerDuplicatesOnlyTheRecordsOfThatCall) {
  PutHarness h;
  // Following a file, so that the fault can be set once the shard map is loaded and the next
  // call is a PutRecords.
  WriteFile(h.Path("in.txt"), "warm-up\n");
  pid_t pid =
      h.Start({"--follow", "--poll-ms", "20", "--summary-json", h.Path("s.json"), h.Path("in.txt")},
              "lost");
  for (int i = 0; i < 6000 && h.DataCounts().count("warm-up") == 0; ++i) usleep(50000);
  ASSERT_EQ(h.DataCounts().count("warm-up"), 1u);
  // The next call is carried out, then its connection is reset: the answer is lost.
  ASSERT_TRUE(h.sim().SetFaults("reset_after_next=1").ok());
  WriteFile(h.Path("in.txt"), NumberedLines("r", 0, 3000), /*append=*/true);
  for (int i = 0; i < 6000 && h.DataCounts().size() < 3001; ++i) usleep(50000);
  kill(pid, SIGTERM);
  RunResult r = h.Wait(pid, "lost");
  EXPECT_EQ(r.exit_status, 0) << r.err;
  int duplicates = 0;
  auto counts = h.DataCounts();
  EXPECT_EQ(counts.size(), 3001u);
  for (const auto& [data, n] : counts) duplicates += n - 1;
  std::string summary = ReadFile(h.Path("s.json"));
  EXPECT_EQ(h.sim().Counters().resets, 1u);
  // At most the records of the one call whose answer was lost arrive twice. They are not in
  // possible_duplicates: the HTTP layer resends a request whose reused keep-alive connection
  // died before the answer, without telling the producer (a library defect, see
  // docs/kinesis-put.md), so neither the producer nor kinesis-put sees a failure.
  EXPECT_LE(duplicates, 3000) << summary;
}

}  // namespace
}  // namespace kinesis::put_test

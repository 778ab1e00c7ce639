#include "record_builder.h"

#include <gtest/gtest.h>

namespace kinesis::put {
namespace {

Frame LineFrame(std::string_view text) {
  Frame f;
  f.data = text;
  f.size = text.size();
  f.line = 7;
  return f;
}

KeyOptions FieldKey(const std::string& field) {
  KeyOptions keys;
  keys.mode = KeyMode::kField;
  keys.key_field = field;
  return keys;
}

InputError Build(RecordBuilder& b, std::string_view text, BuiltRecord* out, std::string* message) {
  return b.Build(LineFrame(text), out, message);
}

TEST(RecordBuilderTest, KeyFromNestedFieldAndHashKeyFromNumber) {
  KeyOptions keys = FieldKey("user.id");
  keys.hash_key_field = "h";
  RecordBuilder b(InputFormat::kJsonLines, keys, 1000);
  BuiltRecord r;
  std::string m;
  const char* line = R"({"user": {"id": "u-17"}, "h": "340282366920938463463374607431768211455"})";
  ASSERT_EQ(Build(b, line, &r, &m), InputError::kNone) << m;
  EXPECT_EQ(r.partition_key, "u-17");
  EXPECT_EQ(r.data, line);
  EXPECT_EQ(r.explicit_hash_key, "340282366920938463463374607431768211455");
}

TEST(RecordBuilderTest, CountFieldIsReadAndNeverRefusesARecord) {
  KeyOptions keys = FieldKey("user");
  keys.count_field = "page";
  RecordBuilder b(InputFormat::kJsonLines, keys, 1000);
  BuiltRecord r;
  std::string m;
  ASSERT_EQ(Build(b, R"({"user": "u1", "page": "/cart"})", &r, &m), InputError::kNone) << m;
  EXPECT_EQ(r.count_value, "/cart");
  ASSERT_EQ(Build(b, R"({"user": "u1"})", &r, &m), InputError::kNone) << m;
  EXPECT_EQ(r.count_value, "(none)");
}

TEST(RecordBuilderTest, NumericKeyIsWrittenAsInJson) {
  RecordBuilder b(InputFormat::kJsonLines, FieldKey("id"), 1000);
  BuiltRecord r;
  std::string m;
  ASSERT_EQ(Build(b, R"({"id": 42})", &r, &m), InputError::kNone) << m;
  EXPECT_EQ(r.partition_key, "42");
}

TEST(RecordBuilderTest, InputErrorsAreNamed) {
  RecordBuilder b(InputFormat::kJsonLines, FieldKey("id"), 19);
  BuiltRecord r;
  std::string m;
  EXPECT_EQ(Build(b, R"({"id": )", &r, &m), InputError::kMalformedJson);
  EXPECT_NE(m.find("malformed JSON"), std::string::npos);
  EXPECT_EQ(Build(b, R"({"other": 1})", &r, &m), InputError::kMissingKeyField);
  EXPECT_NE(m.find("'id'"), std::string::npos);
  EXPECT_EQ(Build(b, R"({"id": [1]})", &r, &m), InputError::kBadKeyField);
  EXPECT_EQ(Build(b, R"({"id": ""})", &r, &m), InputError::kBadKeyField);
  // 17 bytes of data + 2 of key fit in 19; one more byte does not.
  EXPECT_EQ(Build(b, R"({"id":"ab","x":1})", &r, &m), InputError::kNone) << m;
  EXPECT_EQ(Build(b, R"({"id":"ab","x":12})", &r, &m), InputError::kOversized);
}

TEST(RecordBuilderTest, JsonLinesAreCheckedEvenWithAFixedKey) {
  KeyOptions keys;
  keys.mode = KeyMode::kFixed;
  keys.fixed_key = "k";
  RecordBuilder b(InputFormat::kJsonLines, keys, 1000);
  BuiltRecord r;
  std::string m;
  EXPECT_EQ(Build(b, "not json", &r, &m), InputError::kMalformedJson);
  EXPECT_EQ(Build(b, "[1,2]", &r, &m), InputError::kNone);
  EXPECT_EQ(r.partition_key, "k");
}

TEST(RecordBuilderTest, RandomKeysDiffer) {
  KeyOptions keys;
  keys.seed = 5;
  RecordBuilder b(InputFormat::kLines, keys, 1000);
  BuiltRecord r1, r2;
  std::string m;
  ASSERT_EQ(Build(b, "a", &r1, &m), InputError::kNone);
  ASSERT_EQ(Build(b, "a", &r2, &m), InputError::kNone);
  EXPECT_EQ(r1.partition_key.size(), 16u);
  EXPECT_NE(r1.partition_key, r2.partition_key);
}

TEST(RecordBuilderTest, OversizedAndTruncatedFrames) {
  RecordBuilder b(InputFormat::kLines, {}, 1000);
  BuiltRecord r;
  std::string m;
  Frame f = LineFrame("x");
  f.oversized = true;
  f.size = 5000;
  EXPECT_EQ(b.Build(f, &r, &m), InputError::kOversized);
  EXPECT_NE(m.find("5000"), std::string::npos);
  f.oversized = false;
  f.truncated = true;
  EXPECT_EQ(b.Build(f, &r, &m), InputError::kTruncated);
}

TEST(RecordBuilderTest, TruncatesToTheLimitWithTheTerminator) {
  KeyOptions keys;
  keys.mode = KeyMode::kFixed;
  keys.fixed_key = "k";
  RecordBuilder b(InputFormat::kLines, keys, 10);
  b.set_truncation("|\n");
  BuiltRecord r;
  std::string m;
  std::string prefix = "0123456789";
  Frame f = LineFrame(prefix);  // the framer's prefix of a 5000-byte line
  f.oversized = true;
  f.size = 5000;
  ASSERT_EQ(b.Build(f, &r, &m), InputError::kNone) << m;
  EXPECT_TRUE(r.truncated);
  EXPECT_TRUE(r.rewritten);
  EXPECT_EQ(r.data, "0123456|\n");  // 9 bytes + the 1-byte key: the limit of 10
  // Over the limit only with its key: cut too.
  ASSERT_EQ(b.Build(LineFrame("abcdefghij"), &r, &m), InputError::kNone);
  EXPECT_EQ(r.data, "abcdefg|\n");
  // Within the limit: as it is.
  ASSERT_EQ(b.Build(LineFrame("abc"), &r, &m), InputError::kNone);
  EXPECT_FALSE(r.truncated);
  EXPECT_FALSE(r.rewritten);
}

TEST(RecordBuilderTest, AgentRecordsKeepTheirNewlineAndAreConverted) {
  KeyOptions keys;
  keys.mode = KeyMode::kDeterministic;
  RecordBuilder b(InputFormat::kLines, keys, 1000);
  b.set_agent_records(nullptr);
  BuiltRecord r;
  std::string m;
  ASSERT_EQ(Build(b, "abc", &r, &m), InputError::kNone);
  EXPECT_EQ(r.data, "abc\n");
  EXPECT_TRUE(r.rewritten);
  EXPECT_EQ(r.partition_key, "0bee89b07a248e27c83fc3d5951213c1");  // MD5 of "abc\n"
  ProcessingStep log;
  log.kind = ProcessingStep::Kind::kLogToJson;
  log.log_format = "SYSLOG";
  RecordBuilder converting(InputFormat::kLines, {}, 1000);
  converting.set_agent_records(DataProcessor::Create({log}).value());
  ASSERT_EQ(Build(converting, "not syslog", &r, &m), InputError::kNone);
  EXPECT_TRUE(r.skipped);
  ASSERT_EQ(Build(converting, "Mar  1 10:00:00 h p: m", &r, &m), InputError::kNone);
  EXPECT_FALSE(r.skipped);
  EXPECT_EQ(r.data.back(), '\n');
}

}  // namespace
}  // namespace kinesis::put

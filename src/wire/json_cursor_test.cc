// JsonCursor through ParsePutRecordsJson, its one user: strictness (every rule of RFC 8259 it
// enforces, each with a failing input), unescaping in place, and agreement with simdjson on
// random answers written with every freedom JSON allows.
#include "wire/json_cursor.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "wire/json_responses.h"

namespace kinesis::wire {
namespace {

std::string Ok(std::string_view seq, std::string_view shard) {
  return "{\"SequenceNumber\":\"" + std::string(seq) + "\",\"ShardId\":\"" + std::string(shard) +
         "\"}";
}

TEST(JsonCursor, UnescapesInPlaceAndKeepsViewsAfterMove) {
  std::string body =
      "{\"Records\":[{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":"
      "\"a \\\"quoted\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\u20ac \\ud83d\\ude00 \xc3\xa9 end\"},"
      "{\"SequenceNumber\":\"4\\u0039\",\"ShardId\":\"shardId-\\u0030\"}],\"FailedRecordCount\":1}";
  auto r = ParsePutRecordsJson(body, 2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  PutRecordsResult moved = std::move(*r);
  EXPECT_EQ(moved.records[0].error_code, "InternalFailure");
  EXPECT_EQ(moved.records[0].error_message,
            "a \"quoted\" \\ / \b\f\n\r\t \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9 end");
  EXPECT_EQ(moved.records[1].sequence_number, "49");
  EXPECT_EQ(moved.records[1].shard_id, "shardId-0");
  EXPECT_EQ(moved.failed_record_count, 1u);
}

TEST(JsonCursor, SkipsUnknownValuesOfEveryKindAndAllowsWhitespace) {
  std::string body =
      " \n{ \"Extra\" : { \"a\" : [ 1 , -2.5e+3 , 0.0 , 1E2 , true , false , null , \"s\" , "
      "{ } , [ ] ] } ,\r\n\t\"Records\" : [ { \"ShardId\" : \"s-1\" , \"Other\" : 7 , "
      "\"SequenceNumber\" : \"1\" , \"ErrorCode\" : null } ] , \"EncryptionType\" : \"KMS\" } \n";
  auto r = ParsePutRecordsJson(body, 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->records[0].shard_id, "s-1");
  EXPECT_EQ(r->records[0].sequence_number, "1");
  EXPECT_TRUE(r->records[0].ok());
  EXPECT_EQ(r->encryption_type, "KMS");
}

TEST(JsonCursor, RejectsWhatJsonDoesNotAllow) {
  const std::string entry = Ok("1", "s");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"Records\":[" + entry + "]} x", "content after the object"},
      {"{\"Records\":[" + entry + ",]}", "expected an object"},
      {"{\"Records\":[" + entry + "],}", "expected a string"},
      {"{\"Records\":[" + entry + "]", "expected ',' or '}'"},
      {"{\"Records\" [" + entry + "]}", "expected ':'"},
      {"{'Records':[" + entry + "]}", "expected a string"},
      {"{\"Records\":[{\"ShardId\":\"a\x01\"}]}", "control character in a string"},
      {"{\"Records\":[{\"ShardId\":\"a\\x\"}]}", "invalid escape"},
      {"{\"Records\":[{\"ShardId\":\"a\\u12\"}]}", "invalid \\u escape"},
      {"{\"Records\":[{\"ShardId\":\"\\udc00\"}]}", "lone low surrogate"},
      {"{\"Records\":[{\"ShardId\":\"\\ud800x\"}]}", "lone high surrogate"},
      {"{\"Records\":[{\"ShardId\":\"\\ud800\\u0041\"}]}", "high surrogate without a low one"},
      {"{\"Records\":[{\"ShardId\":\"\xc0\x80\"}]}", "invalid UTF-8"},
      {"{\"Records\":[{\"ShardId\":\"\xe0\x80\x80\"}]}", "overlong"},
      {"{\"Records\":[{\"ShardId\":\"\xed\xa0\x80\"}]}", "surrogate"},
      {"{\"Records\":[{\"ShardId\":\"\xf5\x80\x80\x80\"}]}", "invalid UTF-8"},
      {"{\"Records\":[{\"ShardId\":\"\xc3\"}]}", "invalid UTF-8"},
      {"{\"Records\":[{\"X\":01}]}", "expected ',' or '}'"},
      {"{\"Records\":[{\"X\":1.}]}", "invalid number"},
      {"{\"Records\":[{\"X\":-}]}", "invalid number"},
      {"{\"Records\":[{\"X\":1e}]}", "invalid number"},
      {"{\"Records\":[{\"X\":tru}]}", "invalid literal"},
      {"{\"Records\":[{\"X\":nul}]}", "invalid literal"},
      {"{\"Records\":[" + entry + "],\"FailedRecordCount\":-1}", "non-negative integer"},
      {"{\"Records\":[" + entry + "],\"FailedRecordCount\":1.5}", "non-negative integer"},
      {"{\"Records\":[" + entry + "],\"FailedRecordCount\":18446744073709551616}", "out of range"},
      {"{\"Records\":[{\"ShardId\":5}]}", "expected a string"},
      {"{\"Records\":{}}", "expected an array"},
      {"[]", "expected an object"},
      {"", "unexpected end"},
  };
  for (const auto& [body, why] : cases) {
    auto r = ParsePutRecordsJson(body, 1);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << body;
    EXPECT_NE(r.status().message().find(why), std::string::npos)
        << body << " -> " << r.status().message();
    EXPECT_NE(r.status().message().find("at byte"), std::string::npos) << r.status().message();
  }
}

TEST(JsonCursor, NestingIsBounded) {
  std::string deep(JsonCursor::kMaxDepth + 1, '[');
  deep += std::string(JsonCursor::kMaxDepth + 1, ']');
  auto r = ParsePutRecordsJson("{\"X\":" + deep + ",\"Records\":[" + Ok("1", "s") + "]}", 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested too deeply"), std::string::npos);
  std::string fine(JsonCursor::kMaxDepth - 1, '[');
  fine += std::string(JsonCursor::kMaxDepth - 1, ']');
  EXPECT_TRUE(
      ParsePutRecordsJson("{\"X\":" + fine + ",\"Records\":[" + Ok("1", "s") + "]}", 1).ok());
}

TEST(JsonCursor, EveryTruncationFails) {
  const std::string body = "{\"FailedRecordCount\":1,\"Records\":[" + Ok("123", "shardId-1") +
                           ",{\"ErrorCode\":\"E\",\"ErrorMessage\":\"m\\u00e9\"}]}";
  ASSERT_TRUE(ParsePutRecordsJson(body, 2).ok());
  for (size_t n = 0; n < body.size(); ++n) {
    EXPECT_FALSE(ParsePutRecordsJson(body.substr(0, n), 2).ok()) << body.substr(0, n);
  }
}

// Random answers: random whitespace, unknown fields, nulls, escapes and multi-byte text in
// every string, keys themselves escaped. simdjson reads each the same way.
class RandomAnswer {
 public:
  explicit RandomAnswer(uint32_t seed) : rng_(seed) {}

  std::string Write(size_t entries) {
    std::string out = Space() + "{";
    bool first = true;
    auto field = [&](const std::string& key, const std::string& value) {
      out += (first ? "" : ",") + Space() + Quote(key) + Space() + ":" + Space() + value + Space();
      first = false;
    };
    if (Chance(2)) field("Extra", Unknown(0));
    std::string records = "[";
    for (size_t i = 0; i < entries; ++i) {
      if (i > 0) records += ",";
      records += Space() + Entry() + Space();
    }
    records += "]";
    field("Records", records);
    if (Chance(2)) field("EncryptionType", Chance(2) ? "null" : Quote(Text()));
    out += "}" + Space();
    return out;
  }

 private:
  bool Chance(int one_in) { return rng_() % static_cast<uint32_t>(one_in) == 0; }
  std::string Space() {
    static const char kSpace[] = {' ', '\n', '\r', '\t'};
    std::string s;
    while (Chance(3)) s += kSpace[rng_() % 4];
    return s;
  }
  std::string Text() {
    static const std::vector<std::string> kPieces = {
        "a",
        "Z",
        "0",
        "-",
        " ",
        "shardId-",
        "\\\"",
        "\\\\",
        "\\/",
        "\\n",
        "\\t",
        "\\u0041",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\xc3\xa9",
        "\xe2\x82\xac",
        "\xf0\x9f\x98\x80",
        "4963274839276438457682983749283746582938475629384756"};
    std::string s;
    size_t n = rng_() % 6;
    for (size_t i = 0; i < n; ++i) s += kPieces[rng_() % kPieces.size()];
    return s;
  }
  static std::string Quote(const std::string& raw) { return "\"" + raw + "\""; }
  std::string Unknown(int depth) {
    switch (rng_() % (depth > 3 ? 4 : 6)) {
      case 0:
        return "-12.5e-3";
      case 1:
        return Chance(2) ? "true" : "null";
      case 2:
        return Quote(Text());
      case 3:
        return "0";
      case 4:
        return "[" + Space() + Unknown(depth + 1) + "," + Unknown(depth + 1) + "]";
      default:
        return "{" + Quote(Text()) + ":" + Unknown(depth + 1) + "}";
    }
  }
  std::string Entry() {
    std::vector<std::string> fields;
    if (Chance(3)) {
      fields = {"\"ErrorCode\":" + Quote("E" + Text()), "\"ErrorMessage\":" + Quote(Text())};
    } else {
      fields = {"\"SequenceNumber\":" + Quote("1" + Text()),
                "\"Shard\\u0049d\":" + Quote("s" + Text())};  // an escaped key: ShardId
      if (Chance(2)) fields.push_back("\"ErrorCode\":null");
    }
    if (Chance(3)) fields.push_back(Quote("Unknown" + Text()) + ":" + Unknown(0));
    std::shuffle(fields.begin(), fields.end(), rng_);
    std::string out = "{";
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + Space() + fields[i];
    return out + "}";
  }

  std::mt19937 rng_;
};

struct ReferenceEntry {
  std::string shard_id, sequence_number, error_code, error_message;
};

std::vector<ReferenceEntry> Reference(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(body);
  std::vector<ReferenceEntry> out;
  auto text = [](simdjson::dom::element e) {
    return e.is_null() ? std::string() : std::string(std::string_view(e));
  };
  for (simdjson::dom::object entry : simdjson::dom::array(root["Records"])) {
    ReferenceEntry& r = out.emplace_back();
    for (auto [key, value] : entry) {
      if (key == "ShardId") r.shard_id = text(value);
      if (key == "SequenceNumber") r.sequence_number = text(value);
      if (key == "ErrorCode") r.error_code = text(value);
      if (key == "ErrorMessage") r.error_message = text(value);
    }
  }
  return out;
}

TEST(JsonCursor, AgreesWithSimdjsonOnRandomAnswers) {
  for (uint32_t seed = 0; seed < 2000; ++seed) {
    RandomAnswer gen(seed);
    size_t entries = seed % 7;
    std::string body = gen.Write(entries);
    std::vector<ReferenceEntry> want = Reference(body);  // throws if simdjson rejects it
    auto got = ParsePutRecordsJson(body, entries);
    ASSERT_TRUE(got.ok()) << body << "\n" << got.status().ToString();
    ASSERT_EQ(got->records.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got->records[i].shard_id, want[i].shard_id) << body;
      EXPECT_EQ(got->records[i].sequence_number, want[i].sequence_number) << body;
      EXPECT_EQ(got->records[i].error_code, want[i].error_code) << body;
      EXPECT_EQ(got->records[i].error_message, want[i].error_message) << body;
    }
  }
}

}  // namespace
}  // namespace kinesis::wire

#include "sim/cbor_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/cbor_writer.h"
#include "sim/cbor_test_bytes.h"

namespace kinesis::sim {
namespace {

using testing::Bytes;

// Reads a map of string keys to string values; "!" when the reader fails.
std::vector<std::string> StringMap(std::string_view body) {
  std::string scratch;
  CborReader reader(body, &scratch);
  CborReader::Container map;
  std::vector<std::string> out;
  if (!reader.EnterMap(&map)) return {"!"};
  while (reader.Next(&map)) {
    std::string_view key, value;
    if (!reader.String(&key) || !reader.String(&value)) return {"!"};
    out.emplace_back(key);
    out.emplace_back(value);
  }
  if (reader.failed() || !reader.AtEnd()) return {"!"};
  return out;
}

TEST(CborReaderTest, ReadsDefiniteMapOfTextAndByteStrings) {
  std::string body;
  AppendCborHead(&body, CborMajor::kMap, 2);
  AppendCborField(&body, "a", "text");
  AppendCborText(&body, "b");
  AppendCborBytes(&body, std::string("\0\xff", 2));
  EXPECT_EQ(StringMap(body),
            (std::vector<std::string>{"a", "text", "b", std::string("\0\xff", 2)}));
}

TEST(CborReaderTest, ReadsIndefiniteMapsAndJoinsIndefiniteStrings) {
  // {_ "k": (_ "ab" "c"), (_ "x"): h'01' h'' } with a break each.
  std::string body = Bytes({0xBF, 0x61, 'k', 0x7F, 0x62, 'a',  'b',  0x61, 'c',  0xFF,  //
                            0x7F, 0x61, 'x', 0xFF, 0x5F, 0x41, 0x01, 0x40, 0xFF, 0xFF});
  std::string scratch;
  CborReader reader(body, &scratch);
  CborReader::Container map;
  ASSERT_TRUE(reader.EnterMap(&map));
  std::vector<std::string_view> views;
  while (reader.Next(&map)) {
    std::string_view view;
    ASSERT_TRUE(reader.String(&view));
    views.push_back(view);
  }
  ASSERT_FALSE(reader.failed());
  EXPECT_TRUE(reader.AtEnd());
  // Earlier views into the scratch survive later joins.
  EXPECT_EQ(views, (std::vector<std::string_view>{"k", "abc", "x", "\x01"}));
}

TEST(CborReaderTest, SkipsTagsAndTellsNull) {
  // {"a": 1(2(null)), "b": 55799("v")}
  std::string body =
      Bytes({0xA2, 0x61, 'a', 0xC1, 0xC2, 0xF6, 0x61, 'b', 0xD9, 0xD9, 0xF7, 0x61, 'v'});
  std::string scratch;
  CborReader reader(body, &scratch);
  CborReader::Container map;
  std::string_view key, value;
  ASSERT_TRUE(reader.EnterMap(&map));
  ASSERT_TRUE(reader.Next(&map) && reader.String(&key));
  EXPECT_TRUE(reader.Null());
  ASSERT_TRUE(reader.Next(&map) && reader.String(&key));
  EXPECT_FALSE(reader.Null());
  ASSERT_TRUE(reader.String(&value));
  EXPECT_EQ(value, "v");
  EXPECT_FALSE(reader.Next(&map));
  EXPECT_FALSE(reader.failed());
  EXPECT_TRUE(reader.AtEnd());
}

TEST(CborReaderTest, SkipsEveryKindOfItem) {
  // [-1000, 1.5 (half), 2.0 (double), true, h'0102', [_ {"x": [1, {}]}], 2^64-1, simple(32)]
  std::string body =
      Bytes({0x88, 0x39, 0x03, 0xE7, 0xF9, 0x3E, 0x00, 0xFB, 0x40, 0,    0,    0,    0,
             0,    0,    0,    0xF5, 0x42, 1,    2,    0x9F, 0xA1, 0x61, 'x',  0x82, 0x01,
             0xA0, 0xFF, 0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF8, 0x20});
  std::string scratch;
  CborReader reader(body, &scratch);
  ASSERT_TRUE(reader.Skip());
  EXPECT_TRUE(reader.AtEnd());
}

TEST(CborReaderTest, RefusesMalformedInput) {
  const std::vector<std::string> bad = {
      "",
      Bytes({0xA1, 0x61, 'a'}),                          // value missing
      Bytes({0xA1, 0x61, 'a', 0x62, 'b'}),               // string shorter than its length
      Bytes({0xA1, 0x61, 'a', 0x7F, 0x61}),              // indefinite string cut in a chunk
      Bytes({0xA1, 0x61, 'a', 0x7F, 0x41, 'b', 0xFF}),   // chunk of another major type
      Bytes({0xA1, 0x61, 'a', 0x7F, 0x7F, 0xFF, 0xFF}),  // nested indefinite chunk
      Bytes({0xA1, 0x61, 'a', 0x7C}),                    // reserved additional info
      Bytes({0xA1, 0x61, 'a', 0xFF}),                    // break outside a container
      Bytes({0xA1, 0x61, 'a', 0x7B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),  // huge
      Bytes({0xBF, 0x61, 'a', 0x61, 'b'}),        // indefinite map never ends
      Bytes({0xA1, 0x61, 'a', 0x01}),             // not a string
      Bytes({0xA1, 0x61, 'a', 0x61, 'b', 0x00}),  // trailing bytes
      Bytes({0x81, 0x61, 'a'}),                   // not a map
      Bytes({0xA1, 0x61, 'a', 0xC1}),             // tag with nothing after it
  };
  for (const std::string& body : bad) {
    EXPECT_EQ(StringMap(body), std::vector<std::string>{"!"}) << ::testing::PrintToString(body);
  }
}

TEST(CborReaderTest, EveryTruncationFails) {
  std::string body = Bytes({0xBF, 0x61, 'k', 0x7F, 0x62, 'a', 'b', 0x61, 'c', 0xFF,  //
                            0x61, 'y', 0x59, 0x00, 0x02, 'z', 'z', 0xFF});
  ASSERT_EQ(StringMap(body), (std::vector<std::string>{"k", "abc", "y", "zz"}));
  for (size_t n = 0; n < body.size(); ++n) {
    EXPECT_EQ(StringMap(body.substr(0, n)), std::vector<std::string>{"!"}) << n;
  }
}

TEST(CborReaderTest, SkipRefusesNestingPastTheLimit) {
  std::string ok(CborReader::kMaxDepth, '\x81');
  ok.push_back('\x01');
  std::string scratch;
  CborReader shallow(ok, &scratch);
  EXPECT_TRUE(shallow.Skip());
  std::string deep(CborReader::kMaxDepth + 1, '\x81');
  deep.push_back('\x01');
  CborReader reader(deep, &scratch);
  EXPECT_FALSE(reader.Skip());
  EXPECT_TRUE(reader.failed());
}

}  // namespace
}  // namespace kinesis::sim

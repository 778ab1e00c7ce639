#include "common/json_string.h"

#include <gtest/gtest.h>

namespace kinesis {
namespace {

TEST(JsonString, EscapesQuotesBackslashesAndControlBytesAndKeepsUtf8) {
  std::string out = "x";
  AppendJsonString(out, std::string_view("a\\b\"\n\x01\x1f\xc3\xa9", 9));
  EXPECT_EQ(out, "x\"a\\\\b\\\"\\u000a\\u0001\\u001f\xc3\xa9\"");
}

TEST(JsonString, EveryEscapedByteFitsTheBound) {
  std::string all;
  for (int c = 0; c < 0x20; ++c) all += static_cast<char>(c);
  std::string out(JsonStringBound(all.size()), '\0');
  char* end = WriteJsonString(all, out.data());
  EXPECT_EQ(static_cast<size_t>(end - out.data()), JsonStringBound(all.size()));
  EXPECT_EQ(out.substr(0, 8), "\"\\u0000\\");
}

TEST(JsonString, EmptyIsTwoQuotes) {
  std::string out;
  AppendJsonString(out, "");
  EXPECT_EQ(out, "\"\"");
}

}  // namespace
}  // namespace kinesis

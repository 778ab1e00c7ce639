#include "sim/http_parse.h"

#include <gtest/gtest.h>

namespace kinesis::sim {
namespace {

TEST(HttpParseTest, ReadsTheHeadersKinesisNeeds) {
  std::string text =
      "POST /x?y=1 HTTP/1.1\r\nHost: a\r\nx-amz-target: Kinesis_20131202.PutRecords\r\n"
      "CONTENT-TYPE: application/x-amz-json-1.1\r\nAuthorization:  AWS4 x \r\n"
      "Content-Length: 12\r\nExpect: 100-continue\r\n\r\n{\"a\":\"body\"}";
  ParsedHead head;
  ASSERT_EQ(ParseHead(text, &head), HeadResult::kOk);
  EXPECT_EQ(head.request.method, "POST");
  EXPECT_EQ(head.request.path, "/x?y=1");
  EXPECT_EQ(head.request.target, "Kinesis_20131202.PutRecords");
  EXPECT_EQ(head.request.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(head.request.authorization, "AWS4 x");
  EXPECT_TRUE(head.request.has_authorization);
  EXPECT_EQ(head.content_length, 12u);
  EXPECT_TRUE(head.expect_continue);
  EXPECT_FALSE(head.close);
  EXPECT_EQ(text.substr(head.head_bytes), "{\"a\":\"body\"}");
}

TEST(HttpParseTest, IncompleteMalformedAndUnsupported) {
  ParsedHead head;
  EXPECT_EQ(ParseHead("POST / HTTP/1.1\r\nHost: a\r\n", &head), HeadResult::kIncomplete);
  EXPECT_EQ(ParseHead("garbage\r\n\r\n", &head), HeadResult::kMalformed);
  EXPECT_EQ(ParseHead("POST / HTTP/1.1\r\nNoColon\r\n\r\n", &head), HeadResult::kMalformed);
  EXPECT_EQ(ParseHead("POST / HTTP/1.1\r\nContent-Length: x1\r\n\r\n", &head),
            HeadResult::kMalformed);
  EXPECT_EQ(ParseHead("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", &head),
            HeadResult::kMalformed);
  EXPECT_EQ(ParseHead("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &head),
            HeadResult::kUnsupported);
  EXPECT_EQ(ParseHead(std::string(kMaxHeadBytes + 10, 'a'), &head), HeadResult::kTooLarge);
  ParsedHead close;
  ASSERT_EQ(ParseHead("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &close), HeadResult::kOk);
  EXPECT_TRUE(close.close);
}

TEST(HttpParseTest, WritesAResponse) {
  std::string out;
  AppendResponse(&out, 400, "application/x-amz-json-1.1", "{}");
  EXPECT_EQ(out.substr(0, 25), "HTTP/1.1 400 Bad Request\r");
  EXPECT_NE(out.find("Content-Length: 2\r\n\r\n{}"), std::string::npos);
  EXPECT_NE(out.find("x-amzn-RequestId: "), std::string::npos);
}

}  // namespace
}  // namespace kinesis::sim

#include "auth/http_fetcher.h"

#include <gtest/gtest.h>

#include "fake_http_server.h"

namespace kinesis::auth {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

TEST(CurlHttpFetcherTest, SendsMethodHeadersAndBodyAndReturnsAnyStatus) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Answer(418, "teapot"); });
  HttpFetchRequest request;
  request.method = "POST";
  request.url = server.url() + "/path?q=1";
  request.headers = {{"X-Test", "value"}};
  request.body = "form=body";
  auto response = CurlHttpFetcher().Send(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 418);
  EXPECT_EQ(response->body, "teapot");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/path?q=1");
  EXPECT_EQ(requests[0].Header("X-Test"), "value");
  EXPECT_EQ(requests[0].Header("Expect"), "");  // no 100-continue round trip
  EXPECT_EQ(requests[0].body, "form=body");
}

TEST(CurlHttpFetcherTest, EmptyPutSendsAZeroLengthBody) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::Answer(200, "t"); });
  HttpFetchRequest request;
  request.method = "PUT";
  request.url = server.url() + "/latest/api/token";
  ASSERT_TRUE(CurlHttpFetcher().Send(request).ok());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].Header("Content-Length"), "0");
}

TEST(CurlHttpFetcherTest, RefusesAnswersOverOneMebibyte) {
  FakeHttpServer server(
      [](const FakeRequest&) { return FakeResponse::Answer(200, std::string(2 << 20, 'x')); });
  HttpFetchRequest request;
  request.url = server.url() + "/big";
  auto response = CurlHttpFetcher().Send(request);
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("larger than"), std::string::npos);
}

TEST(CurlHttpFetcherTest, RefusesOtherProtocols) {
  HttpFetchRequest request;
  request.url = "file:///etc/passwd";
  EXPECT_EQ(CurlHttpFetcher().Send(request).status().code(), StatusCode::kUnavailable);
}

TEST(CurlHttpFetcherTest, DoesNotFollowRedirects) {
  // Redirects to itself: following it would show as a second request.
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response = FakeResponse::Answer(302, "");
    response.headers = {{"Location", "/elsewhere"}};
    return response;
  });
  HttpFetchRequest request;
  request.url = server.url() + "/";
  auto response = CurlHttpFetcher().Send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(server.requests().size(), 1u);
}

}  // namespace
}  // namespace kinesis::auth

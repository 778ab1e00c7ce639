#include "http/fake_transport.h"

#include <gtest/gtest.h>

#include <thread>

namespace kinesis::http {
namespace {

HttpRequest Req(std::string body) {
  HttpRequest r;
  r.url = "http://127.0.0.1:1/";
  r.body = std::move(body);
  return r;
}

TEST(FakeTransport, AnswersFromScriptInOrderAndRecordsRequests) {
  FakeTransport fake;
  fake.EnqueueResponse(200, "a");
  fake.Enqueue(Status::Unavailable("down"));
  std::vector<std::string> got;
  for (int i = 0; i < 2; ++i) {
    fake.Send(Req("b" + std::to_string(i)), [&](Result<HttpResponse> r) {
      got.push_back(r.ok() ? r->body : r.status().message());
    });
  }
  EXPECT_EQ(got, (std::vector<std::string>{"a", "down"}));
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].body, "b1");
}

TEST(FakeTransport, HandlerAnswersWhenScriptIsEmptyAndNoHandlerMeansUnavailable) {
  FakeTransport fake;
  StatusCode code = StatusCode::kOk;
  fake.Send(Req("x"), [&](Result<HttpResponse> r) { code = r.status().code(); });
  EXPECT_EQ(code, StatusCode::kUnavailable);
  fake.SetHandler([](const HttpRequest& r) -> Result<HttpResponse> {
    HttpResponse response;
    response.status = 201;
    response.body = r.body + "!";
    return response;
  });
  std::string body;
  fake.Send(Req("x"), [&](Result<HttpResponse> r) { body = r->body; });
  EXPECT_EQ(body, "x!");
}

TEST(FakeTransport, HoldDelaysCompletionsUntilRelease) {
  FakeTransport fake;
  fake.EnqueueResponse(200, "");
  fake.Hold();
  bool done = false;
  fake.Send(Req(""), [&](Result<HttpResponse>) { done = true; });
  EXPECT_FALSE(done);
  fake.Release();
  EXPECT_TRUE(done);
}

TEST(FakeTransport, ConcurrentSendsAreAllRecorded) {
  FakeTransport fake;
  fake.SetHandler([](const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{}; });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) fake.Send(Req(""), [](Result<HttpResponse>) {});
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fake.request_count(), 400u);
}

}  // namespace
}  // namespace kinesis::http

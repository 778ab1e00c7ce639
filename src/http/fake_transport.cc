#include "http/fake_transport.h"

namespace kinesis::http {

void FakeTransport::Send(HttpRequest request, HttpCallback done) {
  std::unique_lock<std::mutex> lock(mu_);
  requests_.push_back(request);
  Result<HttpResponse> answer = Status::Unavailable("fake transport: no scripted response");
  if (!script_.empty()) {
    answer = std::move(script_.front());
    script_.pop_front();
  } else if (handler_) {
    Handler handler = handler_;
    lock.unlock();
    answer = handler(request);
    lock.lock();
  }
  if (holding_) {
    held_.emplace_back(std::move(done), std::move(answer));
    return;
  }
  lock.unlock();
  if (done) done(std::move(answer));
}

void FakeTransport::Enqueue(Result<HttpResponse> response) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.push_back(std::move(response));
}

void FakeTransport::EnqueueResponse(long status, std::string body, HeaderList headers) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  Enqueue(std::move(response));
}

void FakeTransport::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

void FakeTransport::Hold() {
  std::lock_guard<std::mutex> lock(mu_);
  holding_ = true;
}

void FakeTransport::Release() {
  std::vector<std::pair<HttpCallback, Result<HttpResponse>>> held;
  {
    std::lock_guard<std::mutex> lock(mu_);
    holding_ = false;
    held.swap(held_);
  }
  for (auto& [done, answer] : held) {
    if (done) done(std::move(answer));
  }
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t FakeTransport::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

}  // namespace kinesis::http

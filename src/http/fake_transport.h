// FakeTransport: an HttpTransport for unit tests of the layers above. It records every request
// and answers from a script (responses queued in order) or from a handler function.
//
// Send completes synchronously, on the calling thread, before it returns -- unless Hold() was
// called, in which case completions wait until Release().
//
// Thread safety: every method may be called from any thread.
#ifndef KINESIS_HTTP_FAKE_TRANSPORT_H_
#define KINESIS_HTTP_FAKE_TRANSPORT_H_

#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "http/http_transport.h"

namespace kinesis::http {

class FakeTransport final : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  void Send(HttpRequest request, HttpCallback done) override;

  // Queues the answer to a future request (used before the handler).
  void Enqueue(Result<HttpResponse> response);
  // Shorthand: a response with this status and body.
  void EnqueueResponse(long status, std::string body, HeaderList headers = {});
  // Answers requests when the script is empty. Without one, such requests get kUnavailable.
  void SetHandler(Handler handler);

  void Hold();     // delay completions
  void Release();  // run the delayed completions now, in order, and stop holding

  std::vector<HttpRequest> requests() const;
  size_t request_count() const;

 private:
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> script_;  // guarded by mu_
  Handler handler_;                          // guarded by mu_
  std::vector<HttpRequest> requests_;        // guarded by mu_
  bool holding_ = false;                     // guarded by mu_
  std::vector<std::pair<HttpCallback, Result<HttpResponse>>> held_;  // guarded by mu_
};

}  // namespace kinesis::http

#endif  // KINESIS_HTTP_FAKE_TRANSPORT_H_

// HttpTransport: how the protocol layer sends requests without blocking.
//
// Send() queues the request and returns at once; the callback runs exactly once, later, on a
// thread the transport chooses (for CurlTransport its event-loop thread, so callbacks must be
// short and must not block). Implementations: CurlTransport (real network), FakeTransport (tests).
//
// Thread safety: Send may be called from any thread at once.
#ifndef KINESIS_HTTP_HTTP_TRANSPORT_H_
#define KINESIS_HTTP_HTTP_TRANSPORT_H_

#include "http/http_types.h"

namespace kinesis::http {

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual void Send(HttpRequest request, HttpCallback done) = 0;
};

}  // namespace kinesis::http

#endif  // KINESIS_HTTP_HTTP_TRANSPORT_H_

// BodyBuffers: request bodies recycled between requests.
//
// A PutRecords body is up to 5 MiB (more with base64). Allocated fresh each time, glibc maps
// it, the kernel zeroes its pages on first touch, and freeing it gives them back (madvise):
// about 2% of the producer's CPU time at a million records a second went to those page faults
// and returns. The transport gives a finished request's body back; the next request's body is
// built in it, its pages already mapped.
//
// Thread safety: Take and Give from any thread (one short lock each, once per request).
#ifndef KINESIS_HTTP_BODY_BUFFERS_H_
#define KINESIS_HTTP_BODY_BUFFERS_H_

#include <cstddef>
#include <string>

namespace kinesis::http {

class BodyBuffers {
 public:
  // Kept: at most kKeep bodies, each of at most kMaxCapacity bytes (larger ones are freed). A
  // new buffer is only allocated while every kept one is in use, so the buffers never exceed
  // the most requests ever in flight at once (MaxConnections, 24 by default); they are not
  // given back to the system after a burst.
  static constexpr size_t kKeep = 16;
  static constexpr size_t kMaxCapacity = size_t{16} << 20;

  // The buffer of a body given back (an empty string when there is none), its bytes left as
  // they were: the caller replaces them. Its size is kept too, so that sizing it for the next
  // body zero-fills only what that body needs beyond it (std::string::resize fills; C++20 has
  // no way to grow a string without writing it).
  static std::string Take();
  // `body` is no longer needed; its buffer may serve another request.
  static void Give(std::string&& body);
  // Bodies kept now (for tests).
  static size_t Kept();
};

}  // namespace kinesis::http

#endif  // KINESIS_HTTP_BODY_BUFFERS_H_

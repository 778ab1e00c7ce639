#include "http/body_buffers.h"

#include <mutex>
#include <utility>
#include <vector>

namespace kinesis::http {
namespace {

struct Pool {
  std::mutex mu;
  std::vector<std::string> bodies;  // guarded by mu
};

// Never destroyed: transports may give bodies back while the process exits.
Pool& ThePool() {
  static Pool* pool = new Pool;
  return *pool;
}

}  // namespace

std::string BodyBuffers::Take() {
  Pool& kept = ThePool();
  std::string body;
  {
    std::lock_guard lock(kept.mu);
    if (kept.bodies.empty()) return body;
    body = std::move(kept.bodies.back());
    kept.bodies.pop_back();
  }
  return body;
}

void BodyBuffers::Give(std::string&& body) {
  // Small ones are not worth a lock (and std::string keeps short strings inline).
  if (body.capacity() < 4096 || body.capacity() > kMaxCapacity) return;
  std::string taken = std::move(body);
  Pool& kept = ThePool();
  std::lock_guard lock(kept.mu);
  if (kept.bodies.size() < kKeep) kept.bodies.push_back(std::move(taken));
}

size_t BodyBuffers::Kept() {
  Pool& kept = ThePool();
  std::lock_guard lock(kept.mu);
  return kept.bodies.size();
}

}  // namespace kinesis::http

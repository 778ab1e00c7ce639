// BodyDigest: the SHA-256 of a request body (for SigV4) computed while an encoder writes it.
//
// Signing used to hash a finished body in a second pass: a 5 MB body had left the cache by then,
// and SHA-256 was the largest single cost of a request. An encoder instead reports how far the
// body is final after each record; every stretch of kChunk bytes is hashed then, while the bytes
// it just wrote are still in the cache.
//
// Thread safety: one object per body, used by one thread.
#ifndef KINESIS_WIRE_BODY_DIGEST_H_
#define KINESIS_WIRE_BODY_DIGEST_H_

#include <optional>
#include <string_view>

#include "auth/sha256.h"
#include "kinesis/status.h"

namespace kinesis::wire {

class BodyDigest {
 public:
  // With `out` null nothing is hashed (the signer will hash the body itself).
  explicit BodyDigest(auth::Sha256::Digest* out) : out_(out) {
    if (out_ != nullptr) stream_.emplace();
  }

  // The body's first `end` bytes, at `body`, will not change any more.
  void Written(const char* body, size_t end) {
    if (stream_ && end - hashed_ >= kChunk) Take(body, end);
  }

  // The body is complete: `end` bytes at `body`. Writes the digest to `out`.
  Status Finish(const char* body, size_t end) {
    if (!stream_) return Status::Ok();
    Take(body, end);
    Result<auth::Sha256::Digest> digest = stream_->Final();
    if (!digest.ok()) return digest.status();
    *out_ = *digest;
    return Status::Ok();
  }

 private:
  // Small enough to be in L1/L2 when hashed, large enough that the per-call cost is nothing.
  static constexpr size_t kChunk = 16 * 1024;

  void Take(const char* body, size_t end) {
    stream_->Update(std::string_view(body + hashed_, end - hashed_));
    hashed_ = end;
  }

  auth::Sha256::Digest* out_;
  std::optional<auth::Sha256Stream> stream_;
  size_t hashed_ = 0;
};

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_BODY_DIGEST_H_

// SHA-256 and HMAC-SHA-256 through OpenSSL's EVP interface, built for the signing hot path.
//
// Each thread keeps one EVP_MD_CTX and the SHA-256 EVP_MD is fetched once per process, so hashing
// a large request body runs at the speed of the CPU's SHA instructions (SHA-NI) with no
// per-call allocation or algorithm lookup. HMAC is computed on top of the same context (keys up
// to one block are padded, longer keys hashed first, as RFC 2104 says).
//
// Thread safety: every function may be called from any thread at the same time.
#ifndef KINESIS_AUTH_SHA256_H_
#define KINESIS_AUTH_SHA256_H_

#include <openssl/types.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "kinesis/status.h"

namespace kinesis::auth {

class Sha256 {
 public:
  static constexpr size_t kDigestSize = 32;
  using Digest = std::array<uint8_t, kDigestSize>;

  // Hash of `data`. Fails (kInternal) only when OpenSSL refuses, which means a broken build.
  static Result<Digest> Hash(std::string_view data);
  // HMAC-SHA-256 of `data` under `key`.
  static Result<Digest> Hmac(std::string_view key, std::string_view data);

  // Lower-case hex of a digest (64 characters).
  static std::string Hex(const Digest& digest);
  // Appends the lower-case hex of a digest to `out`.
  static void AppendHex(const Digest& digest, std::string& out);

  static std::string_view AsView(const Digest& digest) {
    return {reinterpret_cast<const char*>(digest.data()), digest.size()};
  }
};

// Incremental SHA-256 of a message given in pieces: a request body hashed while it is written,
// each piece while it is still in the cache, instead of in a second pass over memory.
// One object per message; not shared between threads.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view piece);
  // The digest of every piece so far; call once. Fails (kInternal) only when OpenSSL refused.
  Result<Sha256::Digest> Final();

 private:
  EVP_MD_CTX* ctx_;
  bool ok_;
};

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_SHA256_H_

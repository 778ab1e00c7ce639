#include "auth/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>

namespace kinesis::auth {
namespace {

constexpr size_t kBlockSize = 64;

// The SHA-256 implementation, fetched once: EVP_sha256() would make every EVP_DigestInit_ex look
// the provider up again (an implicit fetch with a lock), which costs more than hashing 1 KB.
const EVP_MD* FetchedSha256() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// One reusable digest context per thread; freed when the thread ends.
class ThreadContext {
 public:
  ThreadContext() : ctx_(EVP_MD_CTX_new()) {}
  ~ThreadContext() { EVP_MD_CTX_free(ctx_); }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;
  EVP_MD_CTX* get() { return ctx_; }

 private:
  EVP_MD_CTX* ctx_;
};

EVP_MD_CTX* Context() {
  thread_local ThreadContext context;
  return context.get();
}

// Hashes the concatenation of two pieces (HMAC needs pad || message).
bool HashParts(std::string_view a, std::string_view b, uint8_t* out) {
  const EVP_MD* md = FetchedSha256();
  EVP_MD_CTX* ctx = Context();
  if (md == nullptr || ctx == nullptr) return false;
  unsigned int len = 0;
  return EVP_DigestInit_ex(ctx, md, nullptr) == 1 &&
         EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
         (b.empty() || EVP_DigestUpdate(ctx, b.data(), b.size()) == 1) &&
         EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == Sha256::kDigestSize;
}

Status OpensslFailure() {
  return Status::Internal("OpenSSL SHA-256 failed (EVP_Digest* returned an error)");
}

}  // namespace

Result<Sha256::Digest> Sha256::Hash(std::string_view data) {
  Digest digest;
  if (!HashParts(data, {}, digest.data())) return OpensslFailure();
  return digest;
}

Result<Sha256::Digest> Sha256::Hmac(std::string_view key, std::string_view data) {
  uint8_t block_key[kBlockSize] = {};
  if (key.size() > kBlockSize) {
    if (!HashParts(key, {}, block_key)) return OpensslFailure();
  } else {
    std::memcpy(block_key, key.data(), key.size());
  }
  char pad[kBlockSize];
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = static_cast<char>(block_key[i] ^ 0x36);
  Digest inner;
  bool ok = HashParts({pad, kBlockSize}, data, inner.data());
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = static_cast<char>(block_key[i] ^ 0x5c);
  Digest outer;
  ok = ok && HashParts({pad, kBlockSize}, AsView(inner), outer.data());
  // The padded key is derived from a secret: do not leave it on the stack.
  OPENSSL_cleanse(block_key, sizeof(block_key));
  OPENSSL_cleanse(pad, sizeof(pad));
  if (!ok) return OpensslFailure();
  return outer;
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  const EVP_MD* md = FetchedSha256();
  ok_ = ctx_ != nullptr && md != nullptr && EVP_DigestInit_ex(ctx_, md, nullptr) == 1;
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(ctx_); }

void Sha256Stream::Update(std::string_view piece) {
  ok_ = ok_ && (piece.empty() || EVP_DigestUpdate(ctx_, piece.data(), piece.size()) == 1);
}

Result<Sha256::Digest> Sha256Stream::Final() {
  Sha256::Digest digest;
  unsigned int len = 0;
  ok_ = ok_ && EVP_DigestFinal_ex(ctx_, digest.data(), &len) == 1 && len == Sha256::kDigestSize;
  if (!ok_) return OpensslFailure();
  return digest;
}

void Sha256::AppendHex(const Digest& digest, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t at = out.size();
  out.resize(at + 2 * kDigestSize);
  char* p = out.data() + at;
  for (uint8_t byte : digest) {
    *p++ = kHex[byte >> 4];
    *p++ = kHex[byte & 0xf];
  }
}

std::string Sha256::Hex(const Digest& digest) {
  std::string out;
  out.reserve(2 * kDigestSize);
  AppendHex(digest, out);
  return out;
}

}  // namespace kinesis::auth

// The PutRecords encoders' SHA-256, computed while they write (wire/body_digest.h), must be the
// hash of the very bytes they produce, and asking for it must not change those bytes.
#include "wire/body_digest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wire/cbor_codec.h"
#include "wire/json_requests.h"

namespace kinesis::wire {
namespace {

using Builder = Status (*)(StreamRef, std::span<const PutRecordsEntry>, std::string&,
                           auth::Sha256::Digest*);

// Records of sizes that put the hashing points (every 16 KiB) inside, between and across them:
// 100-byte records, 10 KiB ones, one of 40 KiB, explicit hash keys now and then.
struct Workload {
  std::vector<std::string> data;
  std::vector<std::string> keys;
  std::vector<PutRecordsEntry> records;

  Workload() {
    for (int i = 0; i < 300; ++i) {
      size_t size = i % 50 == 7 ? 40960 : i % 3 == 0 ? 10240 : 100;
      std::string d(size, '\0');
      for (size_t j = 0; j < size; ++j) d[j] = static_cast<char>((i * 131 + j * 7) & 0xff);
      data.push_back(std::move(d));
      keys.push_back("key-" + std::to_string(i * 7919));
    }
    for (int i = 0; i < 300; ++i) {
      records.push_back({data[i], keys[i], i % 5 == 0 ? "1234567890123456789" : ""});
    }
  }
};

void ExpectDigestOfTheBytes(Builder build) {
  Workload w;
  for (size_t count : {size_t{0}, size_t{1}, size_t{2}, size_t{37}, w.records.size()}) {
    std::span<const PutRecordsEntry> records(w.records.data(), count);
    std::string plain;
    ASSERT_TRUE(build({"stream", ""}, records, plain, nullptr).ok());
    std::string hashed(777, '#');  // a recycled buffer holding an older body
    auth::Sha256::Digest digest{};
    ASSERT_TRUE(build({"stream", ""}, records, hashed, &digest).ok());
    EXPECT_EQ(hashed, plain) << count << " records";
    Result<auth::Sha256::Digest> expected = auth::Sha256::Hash(plain);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(auth::Sha256::Hex(digest), auth::Sha256::Hex(*expected)) << count << " records";
  }
}

TEST(BodyDigest, JsonPutRecordsDigestIsTheHashOfItsBytes) {
  ExpectDigestOfTheBytes(&BuildPutRecordsJson);
}

TEST(BodyDigest, CborPutRecordsDigestIsTheHashOfItsBytes) {
  ExpectDigestOfTheBytes(&BuildPutRecordsCbor);
}

TEST(BodyDigest, WithoutAnOutputNothingIsHashed) {
  BodyDigest none(nullptr);
  std::string body(100000, 'x');
  none.Written(body.data(), body.size());
  EXPECT_TRUE(none.Finish(body.data(), body.size()).ok());
}

}  // namespace
}  // namespace kinesis::wire

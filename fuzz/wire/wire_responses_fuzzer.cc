// libFuzzer target: every Kinesis response parser (JSON and CBOR) on arbitrary bytes. The first
// byte picks the parser and the PutRecords entry count; the rest is the body. Whatever the
// input: no crash, and a failure always says what is wrong. A PutRecords result that parses
// has exactly the entries the request had.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "wire/cbor_codec.h"
#include "wire/json_responses.h"

namespace {

template <typename R>
void CheckStatus(const kinesis::Result<R>& r) {
  if (!r.ok() && r.status().message().empty()) std::abort();
}

void CheckPutRecords(const kinesis::Result<kinesis::wire::PutRecordsResult>& r, size_t expected) {
  CheckStatus(r);
  if (!r.ok()) return;
  if (r->records.size() != expected) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kinesis::wire;
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t expected = selector >> 3;  // 0..31 entries
  switch (selector & 7) {
    case 0:
      CheckPutRecords(ParsePutRecordsJson(body, expected), expected);
      break;
    case 1:
      CheckPutRecords(ParsePutRecordsCbor(body, expected), expected);
      break;
    case 2:
      CheckStatus(ParseListShardsJson(body));
      break;
    case 3:
      CheckStatus(ParseDescribeStreamSummaryJson(body));
      break;
    case 4:
      CheckStatus(ParseErrorJson(body));
      CheckStatus(ParseErrorCbor(body));
      break;
    case 5:
      CheckStatus(ParsePutRecordJson(body));
      CheckStatus(ParsePutRecordCbor(body));
      break;
    case 6:
      CheckStatus(ParseGetRecordsJson(body));
      break;
    default:
      CheckStatus(ParseGetShardIteratorJson(body));
      break;
  }
  return 0;
}

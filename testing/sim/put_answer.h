// PutRecordsAnswer: writes a PutRecords answer in the request's format (JSON or CBOR) as the
// records are applied, one entry each, without formatting anything per record: a success is a
// fixed head, the sequence digits the stream appends, and the shard's prebuilt tail
// (Shard::result_tail or Shard::cbor_result_tail).
//
//   {"Records":[{"SequenceNumber":"...","ShardId":"..."},{"ErrorCode":"...","ErrorMessage":"..."}],
//    "FailedRecordCount":1,"EncryptionType":"NONE"}
// and in CBOR the same map (definite lengths, FailedRecordCount an unsigned integer).
//
// Thread safety: one instance per request.
#ifndef KINESIS_SIM_PUT_ANSWER_H_
#define KINESIS_SIM_PUT_ANSWER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/sim_state.h"
#include "sim/stream_registry.h"

namespace kinesis::sim {

class PutRecordsAnswer {
 public:
  PutRecordsAnswer(WireFormat format, size_t records);

  // Starts the next entry; the caller then appends the sequence number's head to out().
  void BeginEntry();
  std::string* out() { return &out_; }
  // Ends the entry begun last as a success in `shard`.
  void Succeeded(const Shard& shard);
  // Replaces the entry begun last with an error.
  void Failed(std::string_view code, std::string_view message);
  // The whole answer.
  ActionOutput Finish();

 private:
  WireFormat format_;
  std::string out_;
  size_t entries_ = 0;
  size_t failed_ = 0;
  size_t entry_at_ = 0;
};

// PutRecord's answer: ShardId, SequenceNumber, EncryptionType.
ActionOutput PutRecordAnswer(WireFormat format, std::string_view shard_id,
                             std::string_view sequence_number);

// Shard::cbor_result_tail for a shard: the 30-digit index that ends its sequence numbers, then
// the "ShardId" field.
std::string CborResultTail(std::string_view index_digits, std::string_view shard_id);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_PUT_ANSWER_H_

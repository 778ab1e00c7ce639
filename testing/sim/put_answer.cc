#include "sim/put_answer.h"

#include "common/cbor_writer.h"
#include "sim/json_out.h"

namespace kinesis::sim {
namespace {

constexpr size_t kSequenceDigits = 56;

// What a successful entry starts with, up to the sequence number's digits.
constexpr std::string_view kJsonEntryHead = "{\"SequenceNumber\":\"";
const std::string& CborEntryHead() {
  static const std::string head = [] {
    std::string out;
    AppendCborHead(&out, CborMajor::kMap, 2);
    AppendCborText(&out, "SequenceNumber");
    AppendCborHead(&out, CborMajor::kText, kSequenceDigits);
    return out;
  }();
  return head;
}

}  // namespace

std::string CborResultTail(std::string_view index_digits, std::string_view shard_id) {
  std::string out(index_digits);
  AppendCborField(&out, "ShardId", shard_id);
  return out;
}

PutRecordsAnswer::PutRecordsAnswer(WireFormat format, size_t records) : format_(format) {
  out_.reserve(64 + records * 96);
  if (format_ == WireFormat::kCbor) {
    AppendCborHead(&out_, CborMajor::kMap, 3);
    AppendCborText(&out_, "Records");
    AppendCborHead(&out_, CborMajor::kArray, records);
  } else {
    out_.append("{\"Records\":[");
  }
}

void PutRecordsAnswer::BeginEntry() {
  bool cbor = format_ == WireFormat::kCbor;
  if (!cbor && entries_ > 0) out_.push_back(',');
  ++entries_;
  entry_at_ = out_.size();
  out_.append(cbor ? std::string_view(CborEntryHead()) : kJsonEntryHead);
}

void PutRecordsAnswer::Succeeded(const Shard& shard) {
  out_.append(format_ == WireFormat::kCbor ? shard.cbor_result_tail : shard.result_tail);
}

void PutRecordsAnswer::Failed(std::string_view code, std::string_view message) {
  ++failed_;
  out_.resize(entry_at_);
  if (format_ == WireFormat::kCbor) {
    AppendCborHead(&out_, CborMajor::kMap, 2);
    AppendCborField(&out_, "ErrorCode", code);
    AppendCborField(&out_, "ErrorMessage", message);
    return;
  }
  out_.push_back('{');
  AppendJsonField(&out_, "ErrorCode", code);
  out_.push_back(',');
  AppendJsonField(&out_, "ErrorMessage", message);
  out_.push_back('}');
}

ActionOutput PutRecordsAnswer::Finish() {
  if (format_ == WireFormat::kCbor) {
    AppendCborText(&out_, "FailedRecordCount");
    AppendCborHead(&out_, CborMajor::kUnsigned, failed_);
    AppendCborField(&out_, "EncryptionType", "NONE");
  } else {
    out_.append("],\"FailedRecordCount\":");
    out_.append(std::to_string(failed_));
    out_.append(",\"EncryptionType\":\"NONE\"}");
  }
  return SuccessOutput(std::move(out_), format_);
}

ActionOutput PutRecordAnswer(WireFormat format, std::string_view shard_id,
                             std::string_view sequence_number) {
  std::string out;
  if (format == WireFormat::kCbor) {
    AppendCborHead(&out, CborMajor::kMap, 3);
    AppendCborField(&out, "ShardId", shard_id);
    AppendCborField(&out, "SequenceNumber", sequence_number);
    AppendCborField(&out, "EncryptionType", "NONE");
  } else {
    out = "{";
    AppendJsonField(&out, "ShardId", shard_id);
    out.push_back(',');
    AppendJsonField(&out, "SequenceNumber", sequence_number);
    out += ",\"EncryptionType\":\"NONE\"}";
  }
  return SuccessOutput(std::move(out), format);
}

}  // namespace kinesis::sim

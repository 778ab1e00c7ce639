#include "wire/cbor_codec.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "common/cbor_writer.h"
#include "wire/body_digest.h"

namespace kinesis::wire {
namespace {

// ---- Encoding --------------------------------------------------------------------------

void Stream(StreamRef stream, std::string& out) {
  if (!stream.name.empty()) {
    AppendCborText(&out, "StreamName");
    AppendCborText(&out, stream.name);
  } else {
    AppendCborText(&out, "StreamARN");
    AppendCborText(&out, stream.arn);
  }
}

void RecordFields(const PutRecordsEntry& r, std::string& out) {
  AppendCborText(&out, "Data");
  AppendCborBytes(&out, r.data);
  AppendCborText(&out, "PartitionKey");
  AppendCborText(&out, r.partition_key);
  if (!r.explicit_hash_key.empty()) {
    AppendCborText(&out, "ExplicitHashKey");
    AppendCborText(&out, r.explicit_hash_key);
  }
}

// ---- Decoding --------------------------------------------------------------------------

struct Item {
  enum Kind { kNull, kBool, kUnsigned, kNegativeInt, kString, kList, kObject, kOther } kind = kNull;
  uint64_t number = 0;
  std::string text;  // byte and text strings
  // kList: the elements; kObject: keys and values alternating (key, value, key, value...).
  // One vector of a still-incomplete type is allowed; a vector of pairs of it is not.
  std::vector<Item> items;

  const Item* Find(std::string_view key) const {
    if (kind != kObject) return nullptr;
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      if (items[i].kind == kString && items[i].text == key) return &items[i + 1];
    }
    return nullptr;
  }
};

constexpr int kMaxDepth = 32;

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  Status ReadDocument(Item& item) {
    KINESIS_RETURN_IF_ERROR(Read(item, 0));
    if (pos_ != in_.size()) return Fail("trailing bytes after the item");
    return Status::Ok();
  }

 private:
  Status Fail(std::string_view why) const {
    return Status::Corruption("malformed Kinesis CBOR response at byte " + std::to_string(pos_) +
                              ": " + std::string(why));
  }

  Status Argument(uint8_t info, uint64_t& value) {
    if (info < 24) {
      value = info;
      return Status::Ok();
    }
    if (info > 27) return Fail("reserved additional information");
    size_t bytes = size_t{1} << (info - 24);
    if (in_.size() - pos_ < bytes) return Fail("truncated");
    value = 0;
    for (size_t i = 0; i < bytes; ++i) value = value << 8 | static_cast<uint8_t>(in_[pos_++]);
    return Status::Ok();
  }

  Status ReadString(uint8_t info, CborMajor major, Item& item) {
    item.kind = Item::kString;
    if (info == 31) {  // indefinite: definite chunks of the same major type until 0xFF
      for (;;) {
        if (pos_ >= in_.size()) return Fail("truncated");
        uint8_t b = static_cast<uint8_t>(in_[pos_++]);
        if (b == 0xFF) return Status::Ok();
        if ((b >> 5) != static_cast<uint8_t>(major) || (b & 31) == 31)
          return Fail("bad chunk in an indefinite string");
        uint64_t n = 0;
        KINESIS_RETURN_IF_ERROR(Argument(b & 31, n));
        if (in_.size() - pos_ < n) return Fail("truncated");
        item.text.append(in_.data() + pos_, n);
        pos_ += n;
      }
    }
    uint64_t n = 0;
    KINESIS_RETURN_IF_ERROR(Argument(info, n));
    if (in_.size() - pos_ < n) return Fail("truncated string");
    item.text.assign(in_.data() + pos_, n);
    pos_ += n;
    return Status::Ok();
  }

  bool AtBreak() {
    if (pos_ < in_.size() && static_cast<uint8_t>(in_[pos_]) == 0xFF) {
      pos_++;
      return true;
    }
    return false;
  }

  Status Read(Item& item, int depth) {
    if (depth > kMaxDepth) return Fail("nested deeper than 32");
    if (pos_ >= in_.size()) return Fail("truncated");
    uint8_t b = static_cast<uint8_t>(in_[pos_++]);
    auto major = static_cast<CborMajor>(b >> 5);
    uint8_t info = b & 31;
    switch (major) {
      case CborMajor::kUnsigned:
      case CborMajor::kNegative:
        item.kind = major == CborMajor::kUnsigned ? Item::kUnsigned : Item::kNegativeInt;
        return Argument(info, item.number);
      case CborMajor::kBytes:
      case CborMajor::kText:
        return ReadString(info, major, item);
      case CborMajor::kArray:
      case CborMajor::kMap: {
        bool is_map = major == CborMajor::kMap;
        item.kind = is_map ? Item::kObject : Item::kList;
        bool indefinite = info == 31;
        uint64_t n = 0;
        if (!indefinite) KINESIS_RETURN_IF_ERROR(Argument(info, n));
        for (uint64_t i = 0; indefinite || i < n; ++i) {
          if (indefinite && AtBreak()) break;
          if (pos_ >= in_.size()) return Fail("truncated container");
          if (is_map) {
            KINESIS_RETURN_IF_ERROR(Read(item.items.emplace_back(), depth + 1));  // key
            KINESIS_RETURN_IF_ERROR(Read(item.items.emplace_back(), depth + 1));  // value
          } else {
            KINESIS_RETURN_IF_ERROR(Read(item.items.emplace_back(), depth + 1));
          }
        }
        return Status::Ok();
      }
      case CborMajor::kTag: {
        uint64_t tag = 0;
        KINESIS_RETURN_IF_ERROR(Argument(info, tag));
        return Read(item, depth + 1);  // the tagged item stands for itself (e.g. epoch times)
      }
      case CborMajor::kSimple:
        if (info == 20 || info == 21) {
          item.kind = Item::kBool;
          item.number = info == 21;
          return Status::Ok();
        }
        if (info == 22 || info == 23) {
          item.kind = Item::kNull;  // null and undefined
          return Status::Ok();
        }
        if (info == 31) return Fail("unexpected break");
        item.kind = Item::kOther;  // floats and simple values: skipped
        uint64_t ignored = 0;
        return Argument(info, ignored);
    }
    return Fail("unknown major type");
  }

  std::string_view in_;
  size_t pos_ = 0;
};

Result<Item> DecodeObject(std::string_view body) {
  Item root;
  KINESIS_RETURN_IF_ERROR(Decoder(body).ReadDocument(root));
  if (root.kind != Item::kObject) {
    return Status::Corruption("malformed Kinesis CBOR response: the top level is not a map");
  }
  return root;
}

Status ReadText(const Item& object, std::string_view key, std::string& out) {
  const Item* value = object.Find(key);
  if (value == nullptr || value->kind == Item::kNull) return Status::Ok();
  if (value->kind != Item::kString) {
    return Status::Corruption("malformed Kinesis CBOR response: " + std::string(key) +
                              " is not a string");
  }
  out = value->text;
  return Status::Ok();
}

// The same into `result.text`, which was reserved to the body's size (the strings of a body
// never take more), so earlier views stay valid.
Status ReadText(const Item& object, std::string_view key, PutRecordsResult& result,
                std::string_view& out) {
  std::string text;
  KINESIS_RETURN_IF_ERROR(ReadText(object, key, text));
  size_t at = result.text.size();
  if (at + text.size() > result.text.capacity()) {
    return Status::Corruption("malformed Kinesis CBOR response: strings longer than the body");
  }
  result.text.append(text);
  out = std::string_view(result.text).substr(at);
  return Status::Ok();
}

}  // namespace

Status BuildPutRecordsCbor(StreamRef stream, std::span<const PutRecordsEntry> records,
                           std::string& out, auth::Sha256::Digest* body_sha256) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(stream));
  BodyDigest digest(body_sha256);
  size_t size = 64;
  for (const auto& r : records) size += r.data.size() + r.partition_key.size() + 48;
  out.clear();
  out.reserve(size);
  AppendCborHead(&out, CborMajor::kMap, 2);
  AppendCborText(&out, "Records");
  AppendCborHead(&out, CborMajor::kArray, records.size());
  for (const auto& r : records) {
    AppendCborHead(&out, CborMajor::kMap, r.explicit_hash_key.empty() ? 2 : 3);
    RecordFields(r, out);
    digest.Written(out.data(), out.size());
  }
  Stream(stream, out);
  return digest.Finish(out.data(), out.size());
}

Status BuildPutRecordCbor(const PutRecordRequest& request, std::string& out) {
  KINESIS_RETURN_IF_ERROR(CheckStreamRef(request.stream));
  out.clear();
  uint64_t fields =
      3 + !request.record.explicit_hash_key.empty() + !request.sequence_number_for_ordering.empty();
  AppendCborHead(&out, CborMajor::kMap, fields);
  Stream(request.stream, out);
  RecordFields(request.record, out);
  if (!request.sequence_number_for_ordering.empty()) {
    AppendCborText(&out, "SequenceNumberForOrdering");
    AppendCborText(&out, request.sequence_number_for_ordering);
  }
  return Status::Ok();
}

Result<PutRecordsResult> ParsePutRecordsCbor(std::string_view body, size_t expected_records) {
  auto root = DecodeObject(body);
  if (!root.ok()) return root.status();
  const Item* records = root->Find("Records");
  if (records == nullptr || records->kind != Item::kList) {
    return Status::Corruption("malformed Kinesis CBOR response: no Records array");
  }
  if (records->items.size() != expected_records) {
    return Status::Corruption("malformed Kinesis CBOR response: Records has " +
                              std::to_string(records->items.size()) + " entries for a request of " +
                              std::to_string(expected_records));
  }
  PutRecordsResult result;
  result.text.reserve(std::max<size_t>(body.size(), 16));
  result.records.reserve(records->items.size());
  uint32_t errors = 0;
  for (const Item& entry : records->items) {
    if (entry.kind != Item::kObject) {
      return Status::Corruption("malformed Kinesis CBOR response: a Records entry is not a map");
    }
    PutRecordsResultEntry& e = result.records.emplace_back();
    KINESIS_RETURN_IF_ERROR(ReadText(entry, "ShardId", result, e.shard_id));
    KINESIS_RETURN_IF_ERROR(ReadText(entry, "SequenceNumber", result, e.sequence_number));
    KINESIS_RETURN_IF_ERROR(ReadText(entry, "ErrorCode", result, e.error_code));
    KINESIS_RETURN_IF_ERROR(ReadText(entry, "ErrorMessage", result, e.error_message));
    if (!e.ok()) {
      errors++;
    } else if (e.shard_id.empty() || e.sequence_number.empty()) {
      return Status::Corruption(
          "malformed Kinesis CBOR response: an entry has neither ErrorCode nor ShardId and "
          "SequenceNumber");
    }
  }
  if (const Item* failed = root->Find("FailedRecordCount");
      failed != nullptr && failed->kind != Item::kNull &&
      (failed->kind != Item::kUnsigned || failed->number != errors)) {
    return Status::Corruption("malformed Kinesis CBOR response: FailedRecordCount disagrees with " +
                              std::to_string(errors) + " entries that carry an ErrorCode");
  }
  result.failed_record_count = errors;
  KINESIS_RETURN_IF_ERROR(ReadText(*root, "EncryptionType", result.encryption_type));
  return result;
}

Result<PutRecordResult> ParsePutRecordCbor(std::string_view body) {
  auto root = DecodeObject(body);
  if (!root.ok()) return root.status();
  PutRecordResult result;
  KINESIS_RETURN_IF_ERROR(ReadText(*root, "ShardId", result.shard_id));
  KINESIS_RETURN_IF_ERROR(ReadText(*root, "SequenceNumber", result.sequence_number));
  if (result.shard_id.empty() || result.sequence_number.empty()) {
    return Status::Corruption("malformed Kinesis CBOR response: ShardId or SequenceNumber missing");
  }
  return result;
}

Result<ServiceErrorBody> ParseErrorCbor(std::string_view body) {
  auto root = DecodeObject(body);
  if (!root.ok()) return root.status();
  ServiceErrorBody error;
  KINESIS_RETURN_IF_ERROR(ReadText(*root, "__type", error.type));
  KINESIS_RETURN_IF_ERROR(ReadText(*root, "message", error.message));
  if (error.message.empty()) KINESIS_RETURN_IF_ERROR(ReadText(*root, "Message", error.message));
  return error;
}

}  // namespace kinesis::wire

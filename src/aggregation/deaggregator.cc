#include <cstring>
#include <string>

#include "aggregation/md5.h"
#include "aggregation/protobuf_wire.h"
#include "kinesis/aggregation.h"

namespace kinesis {
namespace {

using protobuf_wire::Reader;
using protobuf_wire::WireType;

constexpr uint64_t kNoIndex = ~uint64_t{0};

struct RawRecord {
  uint64_t partition_key_index = kNoIndex;
  uint64_t explicit_hash_key_index = kNoIndex;
  std::string_view data;
  bool has_data = false;
};

// Per-thread scratch space, so deaggregating does not allocate once warm.
struct Scratch {
  std::vector<std::string_view> partition_keys;
  std::vector<std::string_view> explicit_hash_keys;
  std::vector<RawRecord> records;
};

Status Corrupt(std::string what) {
  return Status::Corruption("aggregated record is corrupt: " + std::move(what));
}

Status ParseRecord(std::string_view bytes, size_t number, RawRecord* out) {
  Reader r(bytes);
  while (!r.done()) {
    uint64_t tag;
    if (!r.ReadVarint(&tag))
      return Corrupt("user record " + std::to_string(number) + " is truncated");
    auto type = static_cast<WireType>(tag & 7);
    uint64_t field = tag >> 3;
    bool ok;
    if (field == 1 && type == protobuf_wire::kVarint) {
      ok = r.ReadVarint(&out->partition_key_index);
    } else if (field == 2 && type == protobuf_wire::kVarint) {
      ok = r.ReadVarint(&out->explicit_hash_key_index);
    } else if (field == 3 && type == protobuf_wire::kLengthDelimited) {
      ok = r.ReadLengthDelimited(&out->data);
      out->has_data = true;
    } else if (field >= 1 && field <= 3) {
      return Corrupt("field " + std::to_string(field) + " of user record " +
                     std::to_string(number) + " has wire type " + std::to_string(tag & 7));
    } else {
      ok = r.Skip(type);  // tags (field 4) and fields added later
    }
    if (!ok) return Corrupt("user record " + std::to_string(number) + " is truncated");
  }
  if (out->partition_key_index == kNoIndex) {
    return Corrupt("user record " + std::to_string(number) + " has no partition key index");
  }
  if (!out->has_data) return Corrupt("user record " + std::to_string(number) + " has no data");
  return Status::Ok();
}

Status ParseMessage(std::string_view message, Scratch* s) {
  Reader r(message);
  while (!r.done()) {
    size_t at = r.offset_from(message.data());
    uint64_t tag;
    std::string_view bytes;
    if (!r.ReadVarint(&tag)) return Corrupt("truncated field tag at byte " + std::to_string(at));
    auto type = static_cast<WireType>(tag & 7);
    uint64_t field = tag >> 3;
    if (field >= 1 && field <= 3) {
      if (type != protobuf_wire::kLengthDelimited) {
        return Corrupt("field " + std::to_string(field) + " at byte " + std::to_string(at) +
                       " has wire type " + std::to_string(tag & 7) + ", expected 2");
      }
      if (!r.ReadLengthDelimited(&bytes)) {
        return Corrupt("field " + std::to_string(field) + " at byte " + std::to_string(at) +
                       " runs past the end of the message");
      }
      if (field == 1) {
        s->partition_keys.push_back(bytes);
      } else if (field == 2) {
        s->explicit_hash_keys.push_back(bytes);
      } else {
        RawRecord record;
        KINESIS_RETURN_IF_ERROR(ParseRecord(bytes, s->records.size(), &record));
        s->records.push_back(record);
      }
    } else if (!r.Skip(type)) {
      return Corrupt("unknown field " + std::to_string(field) + " at byte " + std::to_string(at) +
                     " is truncated or has an unsupported wire type");
    }
  }
  return Status::Ok();
}

// Index checks, and the optional shard range check, before anything reaches the caller.
Status CheckRecords(const Scratch& s, const DeaggregateOptions& options) {
  for (size_t i = 0; i < s.records.size(); ++i) {
    const RawRecord& r = s.records[i];
    if (r.partition_key_index >= s.partition_keys.size()) {
      return Corrupt("user record " + std::to_string(i) + " has partition key index " +
                     std::to_string(r.partition_key_index) + " but the table has " +
                     std::to_string(s.partition_keys.size()) + " keys");
    }
    if (r.explicit_hash_key_index != kNoIndex &&
        r.explicit_hash_key_index >= s.explicit_hash_keys.size()) {
      return Corrupt("user record " + std::to_string(i) + " has explicit hash key index " +
                     std::to_string(r.explicit_hash_key_index) + " but the table has " +
                     std::to_string(s.explicit_hash_keys.size()) + " keys");
    }
    if (!options.shard_hash_key_range) continue;
    HashKey hash;
    if (r.explicit_hash_key_index != kNoIndex) {
      Result<HashKey> parsed = HashKey::Parse(s.explicit_hash_keys[r.explicit_hash_key_index]);
      if (!parsed.ok()) {
        return Corrupt("user record " + std::to_string(i) + ": " + parsed.status().message());
      }
      hash = *parsed;
    } else {
      hash = HashPartitionKey(s.partition_keys[r.partition_key_index]);
    }
    const auto& [first, last] = *options.shard_hash_key_range;
    if (hash < first || hash > last) {
      return Status::OutOfRange("user record " + std::to_string(i) + " has hash key " +
                                hash.ToString() + ", outside the shard's range " +
                                first.ToString() + " to " + last.ToString());
    }
  }
  return Status::Ok();
}

}  // namespace

bool IsAggregated(std::string_view data) {
  return data.size() >= kAggregationOverhead &&
         std::memcmp(data.data(), kAggregationMagic, sizeof(kAggregationMagic)) == 0;
}

Status Deaggregate(std::string_view data, std::string_view outer_partition_key,
                   std::optional<std::string_view> outer_explicit_hash_key,
                   const DeaggregateOptions& options, std::vector<DeaggregatedRecord>* out) {
  if (!IsAggregated(data)) {
    out->push_back(
        DeaggregatedRecord{outer_partition_key, outer_explicit_hash_key, data, 0, false});
    return Status::Ok();
  }
  std::string_view message =
      data.substr(sizeof(kAggregationMagic), data.size() - kAggregationOverhead);
  if (options.verify_checksum) {
    uint8_t digest[kAggregationDigestSize];
    Md5Digest(message.data(), message.size(), digest);
    if (std::memcmp(digest, data.data() + data.size() - kAggregationDigestSize,
                    kAggregationDigestSize) != 0) {
      return Corrupt("the MD5 trailer does not match the " + std::to_string(message.size()) +
                     " protobuf bytes");
    }
  }

  thread_local Scratch scratch;
  scratch.partition_keys.clear();
  scratch.explicit_hash_keys.clear();
  scratch.records.clear();
  KINESIS_RETURN_IF_ERROR(ParseMessage(message, &scratch));
  KINESIS_RETURN_IF_ERROR(CheckRecords(scratch, options));

  out->reserve(out->size() + scratch.records.size());
  for (size_t i = 0; i < scratch.records.size(); ++i) {
    const RawRecord& r = scratch.records[i];
    std::optional<std::string_view> ehk;
    if (r.explicit_hash_key_index != kNoIndex)
      ehk = scratch.explicit_hash_keys[r.explicit_hash_key_index];
    out->push_back(DeaggregatedRecord{scratch.partition_keys[r.partition_key_index], ehk, r.data,
                                      static_cast<uint32_t>(i), true});
  }
  return Status::Ok();
}

}  // namespace kinesis

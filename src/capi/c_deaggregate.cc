// kinesis_deaggregate: the Deaggregator for C callers; views into the caller's buffers.
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "capi/last_error.h"
#include "kinesis/aggregation.h"
#include "kinesis/c/producer.h"

using kinesis::Status;
using kinesis::capi::Guarded;
using kinesis::capi::NullArgument;

extern "C" {

kinesis_status kinesis_deaggregate(const void* data, size_t size, const char* partition_key,
                                   const char* explicit_hash_key, kinesis_user_record** records,
                                   size_t* count) {
  return Guarded([&]() -> Status {
    if (records == nullptr) return NullArgument("records");
    if (count == nullptr) return NullArgument("count");
    *records = nullptr;
    *count = 0;
    if (data == nullptr && size != 0) return NullArgument("data");
    if (partition_key == nullptr) return NullArgument("partition_key");
    std::optional<std::string_view> outer_hash_key;
    if (explicit_hash_key != nullptr) outer_hash_key = explicit_hash_key;
    std::vector<kinesis::DeaggregatedRecord> found;
    std::string_view bytes(size == 0 ? "" : static_cast<const char*>(data), size);
    KINESIS_RETURN_IF_ERROR(kinesis::Deaggregate(bytes, partition_key, outer_hash_key, {}, &found));
    if (found.empty()) return Status::Ok();
    auto* out =
        static_cast<kinesis_user_record*>(std::calloc(found.size(), sizeof(kinesis_user_record)));
    if (out == nullptr) return Status::ResourceExhausted("out of memory");
    for (size_t i = 0; i < found.size(); ++i) {
      const kinesis::DeaggregatedRecord& r = found[i];
      out[i].partition_key = r.partition_key.data();
      out[i].partition_key_size = r.partition_key.size();
      if (r.explicit_hash_key) {
        out[i].explicit_hash_key = r.explicit_hash_key->data();
        out[i].explicit_hash_key_size = r.explicit_hash_key->size();
      }
      out[i].data = r.data.data();
      out[i].data_size = r.data.size();
      out[i].sub_sequence_number = r.sub_sequence_number;
      out[i].aggregated = r.aggregated ? 1 : 0;
    }
    *records = out;
    *count = found.size();
    return Status::Ok();
  });
}

void kinesis_user_records_free(kinesis_user_record* records) { std::free(records); }

}  // extern "C"

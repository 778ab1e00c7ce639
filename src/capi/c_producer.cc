// kinesis_producer_*: the C++ Producer behind an opaque handle, with the HTTP backend.
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "capi/c_handles.h"
#include "capi/last_error.h"
#include "capi/timeout.h"
#include "kinesis/c/producer.h"
#include "kinesis/http_backend.h"
#include "monitoring/json_stats.h"

using kinesis::PutResult;
using kinesis::Status;
using kinesis::capi::ClampTimeout;
using kinesis::capi::Guarded;
using kinesis::capi::NullArgument;

namespace {

std::optional<std::string_view> OptionalString(const char* s) {
  if (s == nullptr) return std::nullopt;
  return std::string_view(s);
}

}  // namespace

extern "C" {

kinesis_status kinesis_producer_new(const kinesis_config* config, kinesis_producer** out) {
  return Guarded([&]() -> Status {
    if (out == nullptr) return NullArgument("out");
    *out = nullptr;
    if (config == nullptr) return NullArgument("config");
    auto backend = kinesis::CreateHttpBackend(config->config);
    if (!backend.ok()) return backend.status();
    auto producer = kinesis::Producer::Create(config->config, std::move(backend.value()));
    if (!producer.ok()) return producer.status();
    auto handle = std::make_unique<kinesis_producer>();
    handle->producer = std::move(producer.value());
    handle->buffer_max_records = config->config.buffer_max_records;
    handle->buffer_max_bytes = config->config.buffer_max_bytes;
    handle->effective = kinesis::EffectiveProducerConfig(config->config);
    *out = handle.release();
    return Status::Ok();
  });
}

}  // extern "C"

namespace {

kinesis_status Put(kinesis_producer* producer, const char* stream, const char* partition_key,
                   const void* data, size_t size, const char* explicit_hash_key,
                   kinesis_put_callback callback, void* user_data, bool wait) {
  return Guarded([&]() -> Status {
    if (producer == nullptr) return NullArgument("producer");
    if (stream == nullptr) return NullArgument("stream");
    if (partition_key == nullptr) return NullArgument("partition_key");
    if (data == nullptr && size != 0) return NullArgument("data");
    if (!wait) {
      kinesis::Outstanding now = producer->producer->outstanding();
      uint64_t bytes = size + std::strlen(partition_key);
      if (now.records >= producer->buffer_max_records ||
          now.bytes + bytes > producer->buffer_max_bytes) {
        return Status::QueueFull("no room in the buffer budget now");
      }
    }
    std::string_view bytes(static_cast<const char*>(data), size);
    kinesis::PutCallback done;
    if (callback != nullptr) {
      done = [callback, user_data](const PutResult& r) {
        kinesis_result c;
        kinesis::capi::FillResult(r, user_data, &c);
        callback(&c, user_data);
      };
    } else {
      done = [queue = &producer->polled, user_data](const PutResult& r) {
        queue->Push(r, user_data);
      };
    }
    return producer->producer->PutCopy(stream, partition_key, bytes,
                                       OptionalString(explicit_hash_key), std::move(done));
  });
}

}  // namespace

extern "C" {

kinesis_status kinesis_producer_put(kinesis_producer* producer, const char* stream,
                                    const char* partition_key, const void* data, size_t size,
                                    const char* explicit_hash_key, kinesis_put_callback callback,
                                    void* user_data) {
  return Put(producer, stream, partition_key, data, size, explicit_hash_key, callback, user_data,
             /*wait=*/true);
}

kinesis_status kinesis_producer_try_put(kinesis_producer* producer, const char* stream,
                                        const char* partition_key, const void* data, size_t size,
                                        const char* explicit_hash_key,
                                        kinesis_put_callback callback, void* user_data) {
  return Put(producer, stream, partition_key, data, size, explicit_hash_key, callback, user_data,
             /*wait=*/false);
}

size_t kinesis_producer_poll(kinesis_producer* producer, kinesis_result* out, size_t max,
                             int64_t timeout_ms) {
  size_t n = 0;
  Guarded([&]() -> Status {
    if (producer == nullptr) return NullArgument("producer");
    if (out == nullptr) return NullArgument("out");
    n = producer->polled.Poll(out, max, timeout_ms);
    return Status::Ok();
  });
  return n;
}

void kinesis_results_release(kinesis_result* results, size_t n) {
  kinesis::capi::ResultQueue::ReleaseResults(results, n);
}

kinesis_status kinesis_producer_flush(kinesis_producer* producer, const char* stream,
                                      int64_t timeout_ms) {
  return Guarded([&]() -> Status {
    if (producer == nullptr) return NullArgument("producer");
    return producer->producer->Flush(OptionalString(stream), ClampTimeout(timeout_ms)).get();
  });
}

kinesis_status kinesis_producer_close(kinesis_producer* producer, int64_t timeout_ms) {
  return Guarded([&]() -> Status {
    if (producer == nullptr) return NullArgument("producer");
    Status already = Status::FailedPrecondition("the producer is already closed");
    if (producer->closed.load()) return already;
    Status status = producer->producer->Close(ClampTimeout(timeout_ms));
    // Refused (called from a callback): the producer stays open.
    if (status.code() == kinesis::StatusCode::kFailedPrecondition) return status;
    if (producer->closed.exchange(true)) return already;
    return status;
  });
}

void kinesis_producer_free(kinesis_producer* producer) {
  if (producer == nullptr) return;
  Guarded([&]() -> Status {
    // The destructor closes with its own deadline when kinesis_producer_close was not called.
    producer->producer.reset();
    return Status::Ok();
  });
  // Results nobody polled still own their strings.
  kinesis_result rest[64];
  while (size_t n = producer->polled.Poll(rest, 64, 0)) kinesis_results_release(rest, n);
  delete producer;
}

uint64_t kinesis_producer_outstanding(const kinesis_producer* producer) {
  if (producer == nullptr) return 0;
  return producer->producer->outstanding().records;
}

kinesis_status kinesis_producer_metrics_json(const kinesis_producer* producer, int window_seconds,
                                             char** json) {
  return Guarded([&]() -> Status {
    if (json == nullptr) return NullArgument("json");
    *json = nullptr;
    if (producer == nullptr) return NullArgument("producer");
    if (window_seconds < 1 || window_seconds > 120) {
      return Status::OutOfRange("window_seconds " + std::to_string(window_seconds) +
                                " is outside 1..120");
    }
    kinesis::monitoring::JsonStatsHeader header;
    header.ts_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    header.window_s = window_seconds;
    std::string text = kinesis::monitoring::RenderJsonStats(
        producer->producer->Metrics(std::chrono::seconds(window_seconds)), header);
    char* copy = new char[text.size() + 1];
    std::memcpy(copy, text.c_str(), text.size() + 1);
    *json = copy;
    return Status::Ok();
  });
}

}  // extern "C"

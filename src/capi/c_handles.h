// What the C API's opaque handles are. Only the capi component sees these definitions.
//
// Thread safety: `config` is a plain value (one thread at a time); kinesis_producer's fields
// are set at creation and then only read, except `closed` (atomic) and what the Producer and
// the ResultQueue guard themselves.
#ifndef KINESIS_CAPI_C_HANDLES_H_
#define KINESIS_CAPI_C_HANDLES_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "capi/result_queue.h"
#include "kinesis/c/monitoring.h"
#include "kinesis/c/producer.h"
#include "kinesis/producer.h"
#include "kinesis/producer_config.h"

struct kinesis_config {
  kinesis::ProducerConfig config;
  // kinesis_config_set_log_callback / _error_callback (kinesis/c/monitoring.h), made into
  // config.log_sink by kinesis::capi::ApplyLogCallbacks.
  kinesis_log_callback log_callback = nullptr;
  void* log_opaque = nullptr;
  kinesis_log_callback error_callback = nullptr;
  void* error_opaque = nullptr;
};

struct kinesis_producer {
  // Declared before the producer: destroyed after it, so callbacks that run while the producer
  // closes in its destructor still find the queue.
  kinesis::capi::ResultQueue polled;
  std::unique_ptr<kinesis::Producer> producer;
  std::atomic<bool> closed{false};
  // The buffer budget (BufferMaxRecords, BufferMaxBytes), for kinesis_producer_try_put.
  uint64_t buffer_max_records = 0;
  uint64_t buffer_max_bytes = 0;
  // The settings as applied (kinesis_producer_config_json).
  kinesis::ProducerConfig effective;
};

#endif  // KINESIS_CAPI_C_HANDLES_H_

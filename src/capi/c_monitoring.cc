// The C API's monitoring (include/kinesis/c/monitoring.h): application metrics and log lines
// through the producer, the log, error and statistics callbacks, the effective configuration.
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "capi/c_handles.h"
#include "capi/last_error.h"
#include "common/json_string.h"
#include "common/log.h"
#include "kinesis/c/monitoring.h"

using kinesis::Status;
using kinesis::capi::Guarded;
using kinesis::capi::NullArgument;

namespace {

kinesis::Result<kinesis::MetricDimensions> Pairs(const kinesis_dimension* pairs, size_t count,
                                                 const char* what) {
  if (pairs == nullptr && count > 0) {
    return Status::InvalidArgument(std::string(what) + " is NULL with a count of " +
                                   std::to_string(count));
  }
  kinesis::MetricDimensions out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (pairs[i].name == nullptr || pairs[i].value == nullptr) {
      return Status::InvalidArgument(std::string(what) + "[" + std::to_string(i) +
                                     "] has a NULL name or value");
    }
    out.emplace_back(pairs[i].name, pairs[i].value);
  }
  return out;
}

// config.log_sink from the callbacks: the log callback gets every line (else the process-wide
// sink does), the error callback the WARNING and ERROR ones too.
void ApplyLogCallbacks(kinesis_config& c) {
  if (c.log_callback == nullptr && c.error_callback == nullptr) {
    c.config.log_sink = nullptr;
    return;
  }
  c.config.log_sink = [log = c.log_callback, log_opaque = c.log_opaque, error = c.error_callback,
                       error_opaque = c.error_opaque](const kinesis::LogEntry& e) {
    auto level = static_cast<kinesis_log_level>(e.level);
    if (log != nullptr) {
      log(level, e.component.c_str(), e.message.c_str(), e.line.c_str(), log_opaque);
    } else {
      kinesis::Logger::Get().Deliver(e);
    }
    if (error != nullptr && e.level >= kinesis::LogLevel::kWarning) {
      error(level, e.component.c_str(), e.message.c_str(), e.line.c_str(), error_opaque);
    }
  };
}

}  // namespace

extern "C" {

kinesis_status kinesis_producer_counter_add(kinesis_producer* producer, const char* name,
                                            const kinesis_dimension* dimensions, size_t count,
                                            uint64_t n) {
  return Guarded([&]() -> Status {
    if (producer == nullptr) return NullArgument("producer");
    if (name == nullptr) return NullArgument("name");
    auto dims = Pairs(dimensions, count, "dimensions");
    if (!dims.ok()) return dims.status();
    auto counter = producer->producer->AppMetrics().Counter(name, *dims);
    if (!counter.ok()) return counter.status();
    if (n > 0) counter->Add(n);  // 0: the series is made (and checked), nothing recorded
    return Status::Ok();
  });
}

kinesis_status kinesis_producer_histogram_record(kinesis_producer* producer, const char* name,
                                                 const kinesis_dimension* dimensions, size_t count,
                                                 const char* unit, double value) {
  return Guarded([&]() -> Status {
    if (producer == nullptr) return NullArgument("producer");
    if (name == nullptr) return NullArgument("name");
    auto dims = Pairs(dimensions, count, "dimensions");
    if (!dims.ok()) return dims.status();
    auto histogram = producer->producer->AppMetrics().Histogram(
        name, *dims, unit != nullptr ? unit : "Milliseconds");
    if (!histogram.ok()) return histogram.status();
    return histogram->Record(value);
  });
}

kinesis_status kinesis_producer_log(kinesis_producer* producer, kinesis_log_level level,
                                    const char* message, const kinesis_dimension* fields,
                                    size_t count) {
  return Guarded([&]() -> Status {
    if (producer == nullptr) return NullArgument("producer");
    if (message == nullptr) return NullArgument("message");
    // C may pass any int: read the bits, not the enum (loading an enum outside its values is
    // undefined behaviour in C++, which UBSan reports).
    std::underlying_type_t<kinesis_log_level> raw;
    std::memcpy(&raw, &level, sizeof(raw));
    if (raw < KINESIS_LOG_DEBUG || raw > KINESIS_LOG_ERROR) {
      return Status::InvalidArgument("log level " + std::to_string(raw) +
                                     " is not one of 0 (debug) to 3 (error)");
    }
    auto pairs = Pairs(fields, count, "fields");
    if (!pairs.ok()) return pairs.status();
    producer->producer->Log(static_cast<kinesis::LogLevel>(raw), message, *pairs);
    return Status::Ok();
  });
}

kinesis_status kinesis_config_set_log_callback(kinesis_config* config,
                                               kinesis_log_callback callback, void* opaque) {
  return Guarded([&]() -> Status {
    if (config == nullptr) return NullArgument("config");
    config->log_callback = callback;
    config->log_opaque = opaque;
    ApplyLogCallbacks(*config);
    return Status::Ok();
  });
}

kinesis_status kinesis_config_set_error_callback(kinesis_config* config,
                                                 kinesis_error_callback callback, void* opaque) {
  return Guarded([&]() -> Status {
    if (config == nullptr) return NullArgument("config");
    config->error_callback = callback;
    config->error_opaque = opaque;
    ApplyLogCallbacks(*config);
    return Status::Ok();
  });
}

kinesis_status kinesis_config_set_stats_callback(kinesis_config* config,
                                                 kinesis_stats_callback callback, void* opaque) {
  return Guarded([&]() -> Status {
    if (config == nullptr) return NullArgument("config");
    if (callback == nullptr) {
      config->config.stats_callback = nullptr;
    } else {
      config->config.stats_callback = [callback, opaque](const std::string& json) {
        callback(json.c_str(), json.size(), opaque);
      };
    }
    return Status::Ok();
  });
}

kinesis_status kinesis_producer_config_json(const kinesis_producer* producer, char** json) {
  return Guarded([&]() -> Status {
    if (json == nullptr) return NullArgument("json");
    *json = nullptr;
    if (producer == nullptr) return NullArgument("producer");
    std::string out = "{";
    for (const auto& [key, value] : kinesis::ProducerConfigValues(producer->effective)) {
      if (out.size() > 1) out += ',';
      kinesis::AppendJsonString(out, key);
      out += ':';
      kinesis::AppendJsonString(out, value);
    }
    out += '}';
    char* copy = new char[out.size() + 1];  // kinesis_string_free
    std::memcpy(copy, out.c_str(), out.size() + 1);
    *json = copy;
    return Status::Ok();
  });
}

}  // extern "C"

#include "sim/fault_plan.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace kinesis::sim {
namespace {

Status ParseInt(std::string_view key, std::string_view value, int64_t* out) {
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), *out);
  if (ec != std::errc() || ptr != value.data() + value.size() || *out < 0) {
    return Status::InvalidArgument("fault '" + std::string(key) + "': '" + std::string(value) +
                                   "' is not a non-negative integer");
  }
  return Status::Ok();
}

Status ParseRate(std::string_view key, std::string_view value, double* out) {
  std::string text(value);
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(*out >= 0 && *out <= 1)) {
    return Status::InvalidArgument("fault '" + std::string(key) + "': '" + text +
                                   "' is not a rate between 0 and 1");
  }
  return Status::Ok();
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> out;
  while (!value.empty()) {
    size_t bar = value.find('|');
    std::string_view item = value.substr(0, bar);
    if (!item.empty()) out.emplace_back(item);
    if (bar == std::string_view::npos) break;
    value.remove_prefix(bar + 1);
  }
  return out;
}

}  // namespace

Status ApplyFault(std::string_view key, std::string_view value, FaultConfig* c) {
  int64_t n = 0;
  struct IntField { std::string_view name; int64_t* field; };
  const IntField ints[] = {
      {"error_next", &c->error_next},         {"latency_ms", &c->latency_ms},
      {"latency_jitter_ms", &c->latency_jitter_ms},
      {"reset_before_next", &c->reset_before_next},
      {"reset_after_next", &c->reset_after_next},
      {"stall_next", &c->stall_next},         {"stall_ms", &c->stall_ms},
      {"reshard_after_requests", &c->reshard_after_requests},
      {"reshard_at_ms", &c->reshard_at_ms},   {"vanish_after_requests", &c->vanish_after_requests},
      {"vanish_at_ms", &c->vanish_at_ms}};
  for (const auto& f : ints) {
    if (key == f.name) return ParseInt(key, value, f.field);
  }
  struct RateField { std::string_view name; double* field; };
  const RateField rates[] = {{"record_internal_failure_rate", &c->record_internal_failure_rate},
                             {"internal_failure_rate", &c->record_internal_failure_rate},
                             {"record_throttle_rate", &c->record_throttle_rate},
                             {"throttle_rate", &c->record_throttle_rate},
                             {"error_rate", &c->error_rate},
                             {"reset_before_rate", &c->reset_before_rate},
                             {"reset_after_rate", &c->reset_after_rate},
                             {"stall_rate", &c->stall_rate}};
  for (const auto& f : rates) {
    if (key == f.name) return ParseRate(key, value, f.field);
  }
  if (key == "seed") {
    KINESIS_RETURN_IF_ERROR(ParseInt(key, value, &n));
    c->seed = static_cast<uint64_t>(n);
  } else if (key == "error_status") {
    KINESIS_RETURN_IF_ERROR(ParseInt(key, value, &n));
    if (n < 400 || n > 599) {
      return Status::OutOfRange("fault 'error_status': " + std::string(value) +
                                " is not an HTTP error status 400..599");
    }
    c->error_status = static_cast<int>(n);
  } else if (key == "error_type") {
    c->error_type = std::string(value);
  } else if (key == "fail_shards") {
    c->fail_shards = SplitList(value);
  } else if (key == "throttle_shards") {
    c->throttle_shards = SplitList(value);
  } else if (key == "throttle_streams") {
    c->throttle_streams = SplitList(value);
  } else if (key == "reshard") {
    c->reshard = std::string(value);
  } else if (key == "vanish_stream") {
    c->vanish_stream = std::string(value);
  } else {
    return Status::InvalidArgument("unknown fault '" + std::string(key) + "'");
  }
  return Status::Ok();
}

Status ApplyFaultSpec(std::string_view spec, FaultConfig* config) {
  while (!spec.empty()) {
    size_t comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("fault '" + std::string(item) + "' has no '=value'");
    }
    KINESIS_RETURN_IF_ERROR(ApplyFault(item.substr(0, eq), item.substr(eq + 1), config));
  }
  return Status::Ok();
}

void FaultPlan::Set(const FaultConfig& config, int64_t now_us) {
  config_ = config;
  rng_.seed(config.seed);
  set_us_ = now_us;
  reshard_done_ = false;
  vanish_done_ = false;
}

bool FaultPlan::Draw(double rate) {
  if (rate <= 0) return false;
  // Drawn only for active rates, so adding one fault does not shift the others' draws.
  return std::uniform_real_distribution<double>(0, 1)(rng_) < rate;
}

RequestFaults FaultPlan::NextRequest() {
  RequestFaults f;
  auto take = [](int64_t* next) {
    if (*next <= 0) return false;
    --*next;
    return true;
  };
  if (take(&config_.reset_before_next) || Draw(config_.reset_before_rate)) {
    f.reset_before = true;
    return f;
  }
  if (take(&config_.error_next) || Draw(config_.error_rate)) {
    f.error_status = config_.error_status;
    f.error_type = config_.error_type;
    return f;
  }
  f.reset_after = take(&config_.reset_after_next) || Draw(config_.reset_after_rate);
  f.stall = take(&config_.stall_next) || Draw(config_.stall_rate);
  f.stall_ms = config_.stall_ms;
  f.delay_ms = config_.latency_ms;
  if (config_.latency_jitter_ms > 0) {
    f.delay_ms += static_cast<int64_t>(
        std::uniform_int_distribution<int64_t>(0, config_.latency_jitter_ms)(rng_));
  }
  return f;
}

bool FaultPlan::FailRecord(std::string_view shard_id) {
  const auto& list = config_.fail_shards;
  if (std::find(list.begin(), list.end(), shard_id) != list.end()) return true;
  return Draw(config_.record_internal_failure_rate);
}

bool FaultPlan::ThrottleRecord(std::string_view stream, std::string_view shard_id) {
  const auto& list = config_.throttle_shards;
  if (std::find(list.begin(), list.end(), shard_id) != list.end()) return true;
  const auto& streams = config_.throttle_streams;
  if (std::find(streams.begin(), streams.end(), stream) != streams.end()) return true;
  return Draw(config_.record_throttle_rate);
}

bool FaultPlan::ReshardDue(uint64_t requests, int64_t now_us) {
  if (reshard_done_ || config_.reshard.empty()) return false;
  bool due = (config_.reshard_after_requests > 0 &&
              requests - requests_at_set_ >= static_cast<uint64_t>(config_.reshard_after_requests)) ||
             (config_.reshard_at_ms > 0 && now_us - set_us_ >= config_.reshard_at_ms * 1000);
  if (due) reshard_done_ = true;
  return due;
}

bool FaultPlan::VanishDue(uint64_t requests, int64_t now_us) {
  if (vanish_done_ || config_.vanish_stream.empty()) return false;
  bool due = (config_.vanish_after_requests > 0 &&
              requests - requests_at_set_ >= static_cast<uint64_t>(config_.vanish_after_requests)) ||
             (config_.vanish_at_ms > 0 && now_us - set_us_ >= config_.vanish_at_ms * 1000);
  if (due) vanish_done_ = true;
  return due;
}

}  // namespace kinesis::sim

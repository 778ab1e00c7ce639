#include "summary.h"

#include <cstdio>
#include <map>

#include "json_quote.h"
#include "progress.h"

namespace kinesis::put {

namespace {

std::string Fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, v);
  return buffer;
}

double PerSecond(uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0;
}

std::string JsonCounts(const std::map<std::string, uint64_t>& counts) {
  std::string out = "{";
  for (const auto& [name, n] : counts) {
    if (out.size() > 1) out += ", ";
    out += JsonQuote(name) + ": " + std::to_string(n);
  }
  return out + "}";
}

std::string Counts(const std::map<std::string, uint64_t>& counts) {
  std::string out;
  for (const auto& [name, n] : counts) out += (out.empty() ? "" : ", ") + name + " " + Grouped(n);
  return out;
}

}  // namespace

std::string SummaryText(RunStats& s, double seconds, const std::vector<FlowCounts>& flows) {
  std::lock_guard lock(s.mu);
  uint64_t ok = s.succeeded.load();
  uint64_t kinesis = s.kinesis_records_put.load();
  std::string text = "kinesis-put summary (" + Fixed(seconds, 1) + " s)\n";
  text += "  records read       " + Grouped(s.records_read.load());
  if (s.bad_input.load() > 0) {
    text += "  bad input " + Grouped(s.bad_input.load()) + " (" + Counts(s.bad_input_by_kind) + ")";
  }
  if (s.records_truncated.load() > 0) {
    text += "  truncated " + Grouped(s.records_truncated.load());
  }
  if (s.records_skipped.load() > 0) {
    text += "  skipped (not converted) " + Grouped(s.records_skipped.load());
  }
  text += "\n  accepted           " + Grouped(s.accepted.load()) + "\n";
  text += "  succeeded          " + Grouped(ok) + "  (" +
          Grouped(static_cast<uint64_t>(PerSecond(ok, seconds))) + " records/s, " +
          Fixed(PerSecond(s.bytes_succeeded.load(), seconds) / 1e6, 1) + " MB/s)\n";
  text += "  failed             " + Grouped(s.failed.load());
  if (!s.failed_by_code.empty()) text += "  (" + Counts(s.failed_by_code) + ")";
  text += "\n  Kinesis records    " + Grouped(kinesis);
  if (kinesis > 0) {
    text += "  (" + Fixed(static_cast<double>(ok) / static_cast<double>(kinesis), 1) +
            " user records each)";
  }
  text += "\n  PutRecords calls   " + Grouped(s.requests.load()) + "  retries " +
          Grouped(s.retries.load()) + "  throttled " + Grouped(s.throttled.load()) +
          "  failed calls " + Grouped(s.request_failures.load()) + "\n";
  if (s.possible_duplicates.load() + s.resent_after_restart.load() > 0) {
    text += "  possible duplicates " + Grouped(s.possible_duplicates.load()) + " (answers lost)  " +
            Grouped(s.resent_after_restart.load()) + " (resent after a restart)\n";
  }
  if (s.truncated_without_copy.load() > 0) {
    text += "  LOST: " + Grouped(s.truncated_without_copy.load()) +
            " truncation(s) without a copy found; lines written before them and not read are "
            "lost (" +
            Grouped(s.lost_bytes_on_truncate.load()) + " bytes known)\n";
  }
  for (size_t i = 0; flows.size() > 1 && i < flows.size(); ++i) {
    const FlowCounts& f = flows[i];
    text += "  flow " + f.name + ": read " + Grouped(f.read) + ", succeeded " +
            Grouped(f.succeeded) + ", failed " + Grouped(f.failed) + ", " + Grouped(f.bytes) +
            " bytes, " + Grouped(f.lag_bytes) + " bytes behind\n";
  }
  return text;
}

std::string SummaryJson(RunStats& s, double seconds, int exit_status,
                        const std::vector<FlowCounts>& flows) {
  std::lock_guard lock(s.mu);
  std::string j = "{\n";
  auto field = [&](const char* name, const std::string& value) {
    j += std::string("  \"") + name + "\": " + value + ",\n";
  };
  field("records_read", std::to_string(s.records_read.load()));
  field("bad_input", std::to_string(s.bad_input.load()));
  field("bad_input_by_kind", JsonCounts(s.bad_input_by_kind));
  field("records_truncated", std::to_string(s.records_truncated.load()));
  field("records_skipped", std::to_string(s.records_skipped.load()));
  field("records_accepted", std::to_string(s.accepted.load()));
  field("records_succeeded", std::to_string(s.succeeded.load()));
  field("records_failed", std::to_string(s.failed.load()));
  field("failed_by_code", JsonCounts(s.failed_by_code));
  field("bytes_accepted", std::to_string(s.bytes_accepted.load()));
  field("bytes_succeeded", std::to_string(s.bytes_succeeded.load()));
  field("kinesis_records", std::to_string(s.kinesis_records_put.load()));
  field("kinesis_records_sent", std::to_string(s.kinesis_records_sent.load()));
  field("requests", std::to_string(s.requests.load()));
  field("failed_requests", std::to_string(s.request_failures.load()));
  field("retries", std::to_string(s.retries.load()));
  field("throttled", std::to_string(s.throttled.load()));
  field("possible_duplicates", std::to_string(s.possible_duplicates.load()));
  field("resent_after_restart", std::to_string(s.resent_after_restart.load()));
  field("truncated_without_copy", std::to_string(s.truncated_without_copy.load()));
  field("lost_bytes_on_truncate", std::to_string(s.lost_bytes_on_truncate.load()));
  std::string list = "[";
  for (const FlowCounts& f : flows) {
    list += std::string(list.size() > 1 ? ", " : "") + "{\"name\": " + JsonQuote(f.name) +
            ", \"records_read\": " + std::to_string(f.read) +
            ", \"records_succeeded\": " + std::to_string(f.succeeded) +
            ", \"records_failed\": " + std::to_string(f.failed) +
            ", \"bytes_succeeded\": " + std::to_string(f.bytes) +
            ", \"lag_bytes\": " + std::to_string(f.lag_bytes) + "}";
  }
  field("flows", list + "]");
  field("duration_seconds", Fixed(seconds, 3));
  field("records_per_second", Fixed(PerSecond(s.succeeded.load(), seconds), 1));
  j += "  \"exit_status\": " + std::to_string(exit_status) + "\n}\n";
  return j;
}

}  // namespace kinesis::put

#include "sim/router.h"

#include <cstdlib>

#include "sim/cbor_out.h"
#include "sim/control_api.h"
#include "sim/json_out.h"
#include "sim/put_actions.h"
#include "sim/read_actions.h"
#include "sim/stream_actions.h"

namespace kinesis::sim {
namespace {

constexpr std::string_view kTargetPrefix = "Kinesis_20131202.";

__extension__ typedef unsigned __int128 Uint128;

// An error's body is written in the request's format; a success's in the one it chose (only
// the put actions answer CBOR).
void Fill(HttpResponse* response, ActionOutput&& out, WireFormat request_format) {
  response->status = out.status;
  WireFormat format = out.format;
  if (!out.error_type.empty()) {
    format = request_format;
    out.body = format == WireFormat::kCbor ? CborErrorBody(out.error_type, out.error_message)
                                           : ErrorBody(out.error_type, out.error_message);
  }
  if (format == WireFormat::kCbor) response->content_type = kCborContentType;
  response->body = std::move(out.body);
}

std::vector<std::string> SplitColons(const std::string& text) {
  std::vector<std::string> parts;
  size_t at = 0;
  while (true) {
    size_t colon = text.find(':', at);
    parts.push_back(text.substr(at, colon - at));
    if (colon == std::string::npos) return parts;
    at = colon + 1;
  }
}

}  // namespace

bool WellFormedAuthorization(std::string_view value) {
  constexpr std::string_view kScheme = "AWS4-HMAC-SHA256 ";
  if (value.substr(0, kScheme.size()) != kScheme) return false;
  return value.find("Credential=") != std::string_view::npos &&
         value.find("SignedHeaders=") != std::string_view::npos &&
         value.find("Signature=") != std::string_view::npos;
}

void Router::RunEvents() {
  int64_t now = state_.NowUs();
  uint64_t requests = state_.counters.requests;
  if (state_.faults.ReshardDue(requests, now)) {
    std::vector<std::string> p = SplitColons(state_.faults.config().reshard);
    Stream* s = p.size() >= 3 ? state_.registry.Find(p[1]) : nullptr;
    int64_t wall = SimState::WallMs();
    if (s && p[0] == "split") {
      int index = StreamRegistry::ShardIndex(*s, p[2]);
      if (index >= 0) {
        const Shard& shard = s->shards[index];
        Uint128 lo = (Uint128{shard.start.high()} << 64) | shard.start.low();
        Uint128 hi = (Uint128{shard.end.high()} << 64) | shard.end.low();
        Uint128 mid = lo + (hi - lo) / 2 + 1;
        HashKey key(static_cast<uint64_t>(mid >> 64), static_cast<uint64_t>(mid));
        (void)state_.registry.Split(*s, p[2], key.ToString(), now, wall);
      }
    } else if (s && p[0] == "merge" && p.size() == 4) {
      (void)state_.registry.Merge(*s, p[2], p[3], now, wall);
    } else if (s && p[0] == "scale") {
      (void)state_.registry.Scale(*s, std::atoi(p[2].c_str()), now, wall);
    }
  }
  if (state_.faults.VanishDue(requests, now)) {
    (void)state_.registry.Delete(state_.faults.config().vanish_stream);
  }
}

void Router::Handle(const HttpRequest& request, HttpResponse* response) {
  if (request.path.substr(0, 6) == "/_sim/") {
    HandleControl(state_, request, response);
    return;
  }
  ActionOutput out;
  RequestFaults faults;
  std::string_view action;
  WireFormat format =
      request.content_type.starts_with(kCborContentType) ? WireFormat::kCbor : WireFormat::kJson;
  if (!request.has_authorization) {
    out = ErrorOutput(
        ClientError("MissingAuthenticationTokenException", "Missing Authentication Token"));
  } else if (!WellFormedAuthorization(request.authorization)) {
    out = ErrorOutput(ClientError(
        "IncompleteSignatureException",
        "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters "
        "after the AWS4-HMAC-SHA256 scheme. Authorization=" +
            std::string(request.authorization)));
  } else if (!request.has_date) {
    out = ErrorOutput(ClientError(
        "IncompleteSignatureException",
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=" +
            std::string(request.authorization)));
  } else if (request.target.substr(0, kTargetPrefix.size()) != kTargetPrefix) {
    out = ErrorOutput(ClientError("UnknownOperationException", ""));
  } else {
    action = request.target.substr(kTargetPrefix.size());
    std::lock_guard<std::mutex> lock(state_.mu);
    ++state_.counters.requests;
    if (action == "PutRecords" || action == "PutRecord") ++state_.counters.put_requests;
    RunEvents();
    faults = state_.faults.NextRequest();
    if (faults.reset_before) ++state_.counters.resets;
  }
  if (faults.reset_before) {
    response->disposition = HttpResponse::Disposition::kResetBefore;
    return;
  }
  if (faults.error_status) {
    std::string type = faults.error_type;
    if (type.empty()) {
      type = faults.error_status == 500   ? "InternalFailure"
             : faults.error_status == 503 ? "ServiceUnavailable"
                                          : "LimitExceededException";
    }
    out = ErrorOutput(ApiError{faults.error_status, type, "kinesis-sim injected " + type});
  } else if (!action.empty()) {
    out = Dispatch(action, request, format);
  }
  if (!out.error_type.empty()) {
    std::lock_guard<std::mutex> lock(state_.mu);
    ++state_.counters.errors_by_code[out.error_type];
  }
  uint64_t written = out.records_written;
  uint64_t not_written = out.records_not_written;
  Fill(response, std::move(out), format);
  if (faults.reset_after) {
    std::lock_guard<std::mutex> lock(state_.mu);
    ++state_.counters.resets;
    state_.counters.answer_lost_records_written += written;
    state_.counters.answer_lost_records_not_written += not_written;
    response->disposition = HttpResponse::Disposition::kResetAfter;
  } else if (faults.stall) {
    std::lock_guard<std::mutex> lock(state_.mu);
    ++state_.counters.stalls;
    response->disposition = HttpResponse::Disposition::kStall;
    response->delay_ms = faults.stall_ms;
  } else {
    response->delay_ms = faults.delay_ms;
  }
}

ActionOutput Router::Dispatch(std::string_view action, const HttpRequest& request,
                              WireFormat format) {
  if (action == "PutRecords") return PutRecords(state_, request.body, format);
  if (action == "PutRecord" && format == WireFormat::kCbor) {
    return PutRecordCbor(state_, request.body);
  }
  using Handler = ActionOutput (*)(SimState&, const RequestArgs&);
  struct Entry {
    std::string_view name;
    Handler handler;
  };
  static const Entry kActions[] = {
      {"PutRecord", PutRecord},
      {"CreateStream", CreateStream},
      {"DeleteStream", DeleteStream},
      {"ListStreams", ListStreams},
      {"DescribeStreamSummary", DescribeStreamSummary},
      {"DescribeStream", DescribeStream},
      {"ListShards", ListShards},
      {"SplitShard", SplitShard},
      {"MergeShards", MergeShards},
      {"UpdateShardCount", UpdateShardCount},
      {"GetShardIterator", GetShardIterator},
      {"GetRecords", GetRecords},
  };
  for (const Entry& e : kActions) {
    if (e.name != action) continue;
    RequestArgs args;
    if (auto error = args.Parse(request.body)) return ErrorOutput(*error);
    return e.handler(state_, args);
  }
  return ErrorOutput(ClientError("UnknownOperationException", ""));
}

}  // namespace kinesis::sim

// Router: turns one HTTP request into an answer -- the control API under /_sim/, otherwise
// the Kinesis JSON 1.1 protocol: authorization check, request-level faults, timed events
// (reshard, vanishing stream), then the action named by X-Amz-Target. A request whose
// Content-Type is application/x-amz-cbor-1.1 gets its errors in CBOR; PutRecords and PutRecord
// read and answer CBOR bodies, the other actions JSON only.
//
// Thread safety: Handle may be called from several worker threads at once.
#ifndef KINESIS_SIM_ROUTER_H_
#define KINESIS_SIM_ROUTER_H_

#include <string_view>

#include "sim/http_server.h"
#include "sim/sim_state.h"

namespace kinesis::sim {

class Router {
 public:
  explicit Router(SimState& state) : state_(state) {}
  void Handle(const HttpRequest& request, HttpResponse* response);

 private:
  ActionOutput Dispatch(std::string_view action, const HttpRequest& request, WireFormat format);
  // Runs due timed events. Under state_.mu.
  void RunEvents();

  SimState& state_;
};

// True for "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
bool WellFormedAuthorization(std::string_view value);

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_ROUTER_H_

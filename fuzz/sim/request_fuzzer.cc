// Fuzzes kinesis-sim's request path without sockets: the HTTP head parser, then the router
// (authorization, action dispatch, JSON parsing of every action, PutRecords' lean parser and
// validation, the CBOR decoders of PutRecords and PutRecord) on whatever body follows. Input:
// raw bytes of one HTTP request.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/http_parse.h"
#include "sim/router.h"
#include "sim/sim_state.h"

namespace {

kinesis::sim::SimState& State() {
  static kinesis::sim::SimState* state = [] {
    kinesis::sim::SimOptions options;
    options.streams = {{"s", 3}};
    options.limits = false;
    auto* s = new kinesis::sim::SimState(options);
    (void)s->registry.Create("s", 3, 0, 0);
    return s;
  }();
  return *state;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  kinesis::sim::ParsedHead head;
  if (kinesis::sim::ParseHead(input, &head) != kinesis::sim::HeadResult::kOk) return 0;
  // The body is what follows the head (clamped to Content-Length), with the padding the
  // server guarantees.
  std::string body = input.substr(head.head_bytes, head.content_length);
  std::string padded = body + std::string(kinesis::sim::kBodyPadding, '\0');
  kinesis::sim::HttpRequest request = head.request;
  request.body = std::string_view(padded.data(), body.size());
  kinesis::sim::Router router(State());
  kinesis::sim::HttpResponse response;
  router.Handle(request, &response);
  // Start every input from the same state: one stream "s" of 3 shards, no faults.
  (void)State().ApplyFaults("", true);
  std::lock_guard<std::mutex> lock(State().mu);
  std::vector<std::string> names;
  for (const auto& [name, stream] : State().registry.streams()) names.push_back(name);
  for (const auto& name : names) (void)State().registry.Delete(name);
  (void)State().registry.Create("s", 3, 0, 0);
  return 0;
}

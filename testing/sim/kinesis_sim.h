// KinesisSim: a local Kinesis write endpoint for tests and benchmarks, in-process.
//
//   kinesis::sim::SimOptions options;            // 127.0.0.1, any free port, storage on
//   options.streams = {{"orders", 4}};
//   auto sim = kinesis::sim::KinesisSim::Start(options);
//   ... point the producer at (*sim)->endpoint() ...
//   (*sim)->SetFaults("record_throttle_rate=0.2,seed=3");
//   auto counters = (*sim)->Counters();
//   auto records = (*sim)->Records("orders");
//
// It serves the Kinesis JSON 1.1 protocol over HTTP/1.1 keep-alive (see router.h for the
// actions, control_api.h for the /_sim/ endpoints, fault_plan.h for the fault spec).
//
// Thread safety: every method may be called from any thread while the server runs; Stop (and
// the destructor) from one thread, once the others are done calling.
#ifndef KINESIS_SIM_KINESIS_SIM_H_
#define KINESIS_SIM_KINESIS_SIM_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/status.h"
#include "sim/sim_types.h"

namespace kinesis::sim {

class HttpServer;
class Router;
struct SimState;

class KinesisSim {
 public:
  // Listens on options.host:options.port and starts the worker threads.
  static Result<std::unique_ptr<KinesisSim>> Start(SimOptions options);
  ~KinesisSim();
  KinesisSim(const KinesisSim&) = delete;
  KinesisSim& operator=(const KinesisSim&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:PORT" ("https://..." with TLS)
  std::string endpoint() const;
  void Stop();

  // Faults: a spec merged into the current faults ("k=v,..."; see fault_plan.h), a whole
  // config, or none. Each call reseeds the PRNG and restarts the timed triggers.
  Status SetFaults(std::string_view spec);
  void SetFaults(const FaultConfig& config);
  void ClearFaults();

  SimCounters Counters() const;
  // The stream's accepted records in arrival (sequence) order; empty with storage off.
  std::vector<StoredRecord> Records(std::string_view stream) const;

  Status CreateStream(std::string_view name, int shard_count);
  Status DeleteStream(std::string_view name);

 private:
  KinesisSim();

  std::unique_ptr<SimState> state_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace kinesis::sim

#endif  // KINESIS_SIM_KINESIS_SIM_H_

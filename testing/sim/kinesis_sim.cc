#include "sim/kinesis_sim.h"

#include "sim/http_server.h"
#include "sim/router.h"
#include "sim/sim_state.h"

namespace kinesis::sim {

namespace {

HttpServer::Options HttpOptionsOf(const SimOptions& o) {
  HttpServer::Options http;
  http.host = o.host;
  http.port = o.port;
  http.threads = o.threads;
  http.max_body_bytes = o.max_body_bytes;
  http.tls_cert_file = o.tls_cert_file;
  http.tls_key_file = o.tls_key_file;
  return http;
}

}  // namespace

KinesisSim::KinesisSim() = default;

KinesisSim::~KinesisSim() { Stop(); }

Result<std::unique_ptr<KinesisSim>> KinesisSim::Start(SimOptions options) {
  std::unique_ptr<KinesisSim> sim(new KinesisSim());
  sim->state_ = std::make_unique<SimState>(std::move(options));
  for (const auto& [name, shards] : sim->state_->options.streams) {
    KINESIS_RETURN_IF_ERROR(sim->CreateStream(name, shards));
  }
  sim->router_ = std::make_unique<Router>(*sim->state_);
  sim->server_ = std::make_unique<HttpServer>();
  HttpServer::Options http = HttpOptionsOf(sim->state_->options);
  Router* router = sim->router_.get();
  KINESIS_RETURN_IF_ERROR(sim->server_->Start(
      http, [router](const HttpRequest& request, HttpResponse* response) {
        router->Handle(request, response);
      }));
  return sim;
}

uint16_t KinesisSim::port() const { return server_->port(); }

std::string KinesisSim::endpoint() const {
  bool tls = !state_->options.tls_cert_file.empty();
  return (tls ? "https://" : "http://") + state_->options.host + ":" + std::to_string(port());
}

void KinesisSim::Stop() {
  if (server_) server_->Stop();
}

Status KinesisSim::SetFaults(std::string_view spec) { return state_->ApplyFaults(spec, false); }
void KinesisSim::SetFaults(const FaultConfig& config) { state_->SetFaults(config); }
void KinesisSim::ClearFaults() { state_->SetFaults(FaultConfig()); }

SimCounters KinesisSim::Counters() const { return state_->Counters(); }

std::vector<StoredRecord> KinesisSim::Records(std::string_view stream) const {
  return state_->Records(stream);
}

Status KinesisSim::CreateStream(std::string_view name, int shard_count) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (auto e = state_->registry.Create(name, shard_count, state_->NowUs(), SimState::WallMs())) {
    return Status::InvalidArgument(e->type + ": " + e->message);
  }
  return Status::Ok();
}

Status KinesisSim::DeleteStream(std::string_view name) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (auto e = state_->registry.Delete(name)) return Status::NotFound(e->message);
  return Status::Ok();
}

}  // namespace kinesis::sim

// CreateHttpBackend: the producer's KinesisBackend on the client layer (src/wire, src/http,
// src/auth).
#include "kinesis/http_backend.h"

#include <cstdlib>

#include "auth/assume_role_credentials_provider.h"
#include "auth/credentials_chain.h"
#include "auth/refreshing_credentials_provider.h"
#include "auth/region.h"
#include "auth/sts_call.h"
#include "backend/aws_context.h"
#include "backend/request_failure.h"
#include "common/env.h"
#include "common/serial_worker.h"
#include "config/service_urls.h"
#include "http/curl_transport.h"
#include "http/endpoint.h"
#include "wire/kinesis_client.h"

namespace kinesis {
namespace {

class HttpBackend final : public KinesisBackend {
 public:
  HttpBackend(std::shared_ptr<const AwsContext> context,
              std::shared_ptr<http::HttpTransport> transport,
              std::unique_ptr<wire::KinesisClient> client, bool aws_endpoint)
      : context_(std::move(context)),
        credentials_(context_->refreshing),
        transport_(std::move(transport)),
        client_(std::move(client)),
        aws_endpoint_(aws_endpoint) {}

  const std::shared_ptr<const AwsContext>& context() const { return context_; }

  ~HttpBackend() override {
    // Requests still being prepared are sent (or fail) first; then the transport completes
    // outstanding calls as it goes; the client must outlive them.
    builder_.reset();
    transport_.reset();
  }

  void PutRecords(std::string_view stream, const std::vector<OutgoingRecord>& records,
                  std::function<void(PutRecordsOutcome)> done) override {
    std::vector<wire::PutRecordsEntry> entries;
    entries.reserve(records.size());
    for (const OutgoingRecord& r : records) {
      entries.push_back(wire::PutRecordsEntry{r.data, r.partition_key, r.explicit_hash_key});
    }
    // Built, signed and sent on the builder thread: the bytes the entries view stay valid until
    // `done` runs, and the client may be called from any thread.
    builder_->Post([this, stream = std::string(stream), entries = std::move(entries),
                    done = std::move(done)]() mutable { Send(stream, entries, std::move(done)); });
  }

  void Send(std::string_view stream, const std::vector<wire::PutRecordsEntry>& entries,
            std::function<void(PutRecordsOutcome)> done) {
    auto credentials = credentials_;
    client_->PutRecords(
        Ref(stream), entries,
        [done = std::move(done), credentials](wire::ApiResult<wire::PutRecordsResult> result) {
          PutRecordsOutcome outcome;
          if (!result.ok()) {
            const wire::ApiError& e = result.error();
            if (e.kind == wire::ErrorKind::kCredentials && credentials) credentials->RefreshNow();
            outcome.failure = FailureOf(e);
            outcome.error_code = e.code;
            outcome.error_message = e.message;
            done(std::move(outcome));
            return;
          }
          outcome.records.reserve(result.value().records.size());
          for (const wire::PutRecordsResultEntry& r : result.value().records) {
            outcome.records.push_back(
                RecordOutcome{std::string(r.shard_id), std::string(r.sequence_number),
                              std::string(r.error_code), std::string(r.error_message)});
          }
          done(std::move(outcome));
        });
  }

  void ListShards(std::string_view stream,
                  std::function<void(Result<std::vector<ShardListing>>)> done) override {
    auto state = std::make_shared<Listing>();
    state->stream = std::string(stream);
    state->done = std::move(done);
    NextPage(std::move(state), "");
  }

  uint64_t credential_refreshes() const override {
    if (!credentials_) return 0;
    uint64_t fetches = credentials_->fetch_count();
    return fetches > 0 ? fetches - 1 : 0;
  }

  bool is_aws_endpoint() const override { return aws_endpoint_; }

 private:
  struct Listing {
    std::string stream;
    std::string token;  // the page being asked for
    std::vector<ShardListing> shards;
    std::function<void(Result<std::vector<ShardListing>>)> done;
  };

  // A stream name, or an ARN; views `stream`.
  static wire::StreamRef Ref(std::string_view stream) {
    if (stream.rfind("arn:", 0) == 0) return wire::StreamRef{{}, stream};
    return wire::StreamRef{stream, {}};
  }

  void NextPage(std::shared_ptr<Listing> state, std::string token) {
    state->token = std::move(token);
    wire::ListShardsRequest request;
    if (state->token.empty()) {
      request.stream = Ref(state->stream);
    } else {
      request.next_token = state->token;
    }
    client_->ListShards(request, [this, state](wire::ApiResult<wire::ListShardsResult> result) {
      if (!result.ok()) {
        const wire::ApiError& e = result.error();
        if (e.kind == wire::ErrorKind::kCredentials && credentials_) credentials_->RefreshNow();
        Status s =
            e.kind == wire::ErrorKind::kFatal ? e.ToStatus() : Status::Unavailable(e.ToString());
        state->done(s);
        return;
      }
      for (const wire::Shard& s : result.value().shards) {
        Result<HashKey> first = HashKey::Parse(s.starting_hash_key);
        Result<HashKey> last = HashKey::Parse(s.ending_hash_key);
        if (!first.ok() || !last.ok()) {
          state->done(Status::Unavailable(
              "ListShards gave shard " + s.shard_id +
              " a bad hash-key range: " + (first.ok() ? last : first).status().message()));
          return;
        }
        state->shards.push_back(ShardListing{s.shard_id, *first, *last, s.parent_shard_id,
                                             s.adjacent_parent_shard_id,
                                             !s.ending_sequence_number.empty()});
      }
      if (!result.value().next_token.empty()) {
        NextPage(state, result.value().next_token);
        return;
      }
      state->done(std::move(state->shards));
    });
  }

  const std::shared_ptr<const AwsContext> context_;
  // context_'s chain; null when the application supplies the credentials (CredentialsCallback).
  const std::shared_ptr<auth::RefreshingCredentialsProvider> credentials_;
  std::shared_ptr<http::HttpTransport> transport_;
  std::unique_ptr<wire::KinesisClient> client_;
  const bool aws_endpoint_;
  // Prepares PutRecords requests off the engine thread (see SerialWorker).
  std::unique_ptr<SerialWorker> builder_ = std::make_unique<SerialWorker>("kp-requests");
};

}  // namespace

namespace {

// Region and endpoint as the configuration and the environment give them.
struct Target {
  std::string endpoint;  // empty: the region's AWS endpoint
  bool aws_endpoint = false;
  wire::Protocol protocol = wire::Protocol::kJson;
};

// Protocol=auto: CBOR to a host of AWS's own, JSON elsewhere (see WireProtocol).
wire::Protocol ProtocolFor(const ProducerConfig& config, const Target& target,
                           const AwsContext& context) {
  if (config.protocol != WireProtocol::kAuto) {
    return config.protocol == WireProtocol::kCbor ? wire::Protocol::kCbor : wire::Protocol::kJson;
  }
  if (target.aws_endpoint) return wire::Protocol::kCbor;
  Result<http::Endpoint> endpoint =
      http::ResolveEndpoint(target.endpoint, context.region, SystemEnvironment());
  return endpoint.ok() && http::IsAwsHost(endpoint->host) ? wire::Protocol::kCbor
                                                           : wire::Protocol::kJson;
}

Result<Target> ResolveTarget(const ProducerConfig& config, const AwsContext& context) {
  Target target;
  // The KPL's form is a bare host, with KinesisPort, always TLS; a URL is taken as written.
  target.endpoint = ServiceUrl(config.kinesis_endpoint, config.kinesis_port);
  target.aws_endpoint =
      target.endpoint.empty() && !GetEnv("AWS_ENDPOINT_URL_KINESIS") && !GetEnv("AWS_ENDPOINT_URL");
  if (!context.region_status.ok() && target.aws_endpoint) return context.region_status;
  target.protocol = ProtocolFor(config, target, context);
  return target;
}

// A context of `config` without credentials yet: its region (Region, AWS_REGION,
// AWS_DEFAULT_REGION, the profile's) and its way to AWS besides Kinesis (the proxy settings).
std::shared_ptr<AwsContext> ContextOf(const ProducerConfig& config) {
  auto context = std::make_shared<AwsContext>();
  Result<std::string> region = auth::ResolveRegion(config.region, SystemEnvironment(), "");
  if (region.ok()) {
    context->region = *region;
  } else {
    context->region_status = region.status();
  }
  context->http =
      auth::HttpFetcherThrough({ProxyUrl(config), config.proxy_user_name, config.proxy_password});
  return context;
}

// The back-end signing with what `context` gives.
Result<std::shared_ptr<KinesisBackend>> CreateWithContext(
    const ProducerConfig& config, const Target& target, std::shared_ptr<const AwsContext> context) {
  http::CurlTransportOptions transport_options;
  transport_options.max_connections_per_host = static_cast<long>(config.max_connections);
  transport_options.max_total_connections = static_cast<long>(config.max_connections);
  transport_options.connect_timeout = std::chrono::milliseconds(config.connect_timeout_ms);
  transport_options.request_timeout = std::chrono::milliseconds(config.request_timeout_ms);
  transport_options.verify_tls = config.verify_certificate;
  transport_options.ca_file = config.ca_cert_file;
  transport_options.ca_path = config.ca_cert_path;
  transport_options.proxy = ProxyUrl(config);
  transport_options.proxy_user_name = config.proxy_user_name;
  transport_options.proxy_password = config.proxy_password;
  Result<std::unique_ptr<http::CurlTransport>> transport =
      http::CurlTransport::Create(transport_options);
  if (!transport.ok()) return transport.status();
  std::shared_ptr<http::HttpTransport> shared_transport = std::move(transport.value());

  wire::KinesisClientOptions options;
  options.region = context->region;
  options.endpoint_override = target.endpoint;
  options.protocol = target.protocol;
  options.request_timeout = std::chrono::milliseconds(config.request_timeout_ms);
  Result<std::unique_ptr<wire::KinesisClient>> client =
      wire::KinesisClient::Create(options, context->credentials, shared_transport);
  if (!client.ok()) return client.status();
  return std::shared_ptr<KinesisBackend>(
      std::make_shared<HttpBackend>(std::move(context), std::move(shared_transport),
                                    std::move(client.value()), target.aws_endpoint));
}

}  // namespace

std::shared_ptr<const AwsContext> MakeAwsContext(const ProducerConfig& config) {
  std::shared_ptr<AwsContext> context = ContextOf(config);
  auth::DefaultChainOptions chain;
  chain.static_credentials.access_key_id = config.aws_access_key_id;
  chain.static_credentials.secret_access_key = config.aws_secret_key;
  chain.region = context->region;
  chain.sts_endpoint = ServiceUrl(config.sts_endpoint, config.sts_port);
  chain.http = context->http;
  std::unique_ptr<auth::CredentialsProvider> source =
      auth::DefaultCredentialsChain(SystemEnvironment(), chain);
  if (!config.role_arn.empty()) {
    auth::AssumeRoleCredentialsProvider::Settings role;
    role.role_arn = config.role_arn;
    role.external_id = config.role_external_id;
    role.session_name = config.role_session_name;
    role.duration_seconds = static_cast<int64_t>(config.role_duration_seconds);
    auth::AssumeRoleCredentialsProvider::Options sts;
    sts.region = context->region;
    sts.origin = "RoleArn";
    sts.endpoint = auth::StsEndpoint(chain.sts_endpoint, SystemEnvironment(), context->region);
    source = std::make_unique<auth::AssumeRoleCredentialsProvider>(role, std::move(source),
                                                                   context->http, sts);
  }
  context->refreshing = std::make_shared<auth::RefreshingCredentialsProvider>(std::move(source));
  context->credentials = [refreshing = context->refreshing]() -> Result<auth::Credentials> {
    Result<std::shared_ptr<const auth::Credentials>> c = refreshing->Current();
    if (!c.ok()) return c.status();
    return **c;
  };
  return context;
}

std::shared_ptr<const AwsContext> AwsContextOf(const KinesisBackend& backend) {
  const auto* http = dynamic_cast<const HttpBackend*>(&backend);
  return http != nullptr ? http->context() : nullptr;
}

Result<std::shared_ptr<KinesisBackend>> CreateHttpBackend(const ProducerConfig& config) {
  KINESIS_RETURN_IF_ERROR(config.Validate());
  std::shared_ptr<const AwsContext> context = MakeAwsContext(config);
  // Fails first for a missing region, before waiting for credentials.
  Result<Target> target = ResolveTarget(config, *context);
  if (!target.ok()) return target.status();
  KINESIS_RETURN_IF_ERROR(
      context->refreshing->WaitUntilReady(std::chrono::milliseconds(config.connect_timeout_ms)));
  return CreateWithContext(config, *target, std::move(context));
}

Result<std::shared_ptr<KinesisBackend>> CreateHttpBackend(const ProducerConfig& config,
                                                          CredentialsCallback credentials) {
  KINESIS_RETURN_IF_ERROR(config.Validate());
  if (!credentials) return Status::InvalidArgument("CreateHttpBackend: no credentials callback");
  std::shared_ptr<AwsContext> context = ContextOf(config);
  context->credentials = [credentials = std::move(credentials)]() -> Result<auth::Credentials> {
    Result<AwsCredentials> c = credentials();
    if (!c.ok()) return c.status();
    return auth::Credentials{std::move(c->access_key_id), std::move(c->secret_access_key),
                             std::move(c->session_token), std::nullopt};
  };
  Result<Target> target = ResolveTarget(config, *context);
  if (!target.ok()) return target.status();
  return CreateWithContext(config, *target, std::move(context));
}

}  // namespace kinesis

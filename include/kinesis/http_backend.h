// The KinesisBackend that talks to Kinesis over HTTP: SigV4-signed JSON (or CBOR) calls on a
// pool of keep-alive connections, with credentials from the usual AWS chain.
//
//   kinesis::ProducerConfig config = kinesis::LoadProducerConfig("kpl.properties").value();
//   auto backend = kinesis::CreateHttpBackend(config).value();
//   auto producer = kinesis::Producer::Create(config, backend).value();
//
// Settings used: Region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's), KinesisEndpoint
// and KinesisPort (else AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL, the region's endpoint),
// AwsAccessKeyId/AwsSecretKey (else the credentials chain: environment, web identity,
// profiles with credential_process, container, instance metadata unless
// AWS_EC2_METADATA_DISABLED=true), StsEndpoint, VerifyCertificate, CaCertFile, CaCertPath,
// Proxy*, MaxConnections, ConnectTimeout, RequestTimeout, Protocol.
#ifndef KINESIS_HTTP_BACKEND_H_
#define KINESIS_HTTP_BACKEND_H_

#include <functional>
#include <memory>
#include <string>

#include "kinesis/kinesis_backend.h"
#include "kinesis/producer_config.h"
#include "kinesis/status.h"

namespace kinesis {

// Fails with a clear error for a malformed endpoint, an unknown region, or no credentials
// anywhere (the chain waits up to ConnectTimeout for the first credentials).
Result<std::shared_ptr<KinesisBackend>> CreateHttpBackend(const ProducerConfig& config);

// Credentials the application supplies itself (for example the KPL's SetCredentials messages,
// which rotate while the producer runs).
struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;  // secret: never logged
  std::string session_token;      // empty when none
};

// Called once per request, to sign it, on the back-end's threads: must be quick (no I/O) and
// thread-safe. A failure fails that request with MissingCredentials (retried as usual).
using CredentialsCallback = std::function<Result<AwsCredentials>()>;

// The same back-end, signing every request with what `credentials` returns at that moment
// instead of the credentials chain (AwsAccessKeyId/AwsSecretKey are then not used), so new
// credentials take effect from the next request on.
Result<std::shared_ptr<KinesisBackend>> CreateHttpBackend(const ProducerConfig& config,
                                                          CredentialsCallback credentials);

}  // namespace kinesis

#endif  // KINESIS_HTTP_BACKEND_H_

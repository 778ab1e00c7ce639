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

#include <memory>

#include "kinesis/kinesis_backend.h"
#include "kinesis/producer_config.h"
#include "kinesis/status.h"

namespace kinesis {

// Fails with a clear error for a malformed endpoint, an unknown region, or no credentials
// anywhere (the chain waits up to ConnectTimeout for the first credentials).
Result<std::shared_ptr<KinesisBackend>> CreateHttpBackend(const ProducerConfig& config);

}  // namespace kinesis

#endif  // KINESIS_HTTP_BACKEND_H_

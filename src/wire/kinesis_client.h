// KinesisClient: Kinesis API calls over an HttpTransport -- builds the body (JSON 1.1, or CBOR
// 1.1 for PutRecords/PutRecord when asked), signs it with SigV4, sends it, and parses the answer
// into a value or a classified ApiError (see api_error.h).
//
// Example:
//   KinesisClientOptions options;
//   options.region = "us-east-1";
//   auto client = KinesisClient::Create(options, credential_source, transport);
//   (*client)->PutRecords({"my-stream", ""}, entries, [](ApiResult<PutRecordsResult> r) {...});
//
// Callbacks run exactly once: on the transport's thread after a response, or on the calling
// thread before the call returns when the request cannot be built, signed or sent (bad
// arguments: kFatal "InvalidRequest"; no credentials: kCredentials "MissingCredentials").
// The credential source is called once per request, on the calling thread: it must be cheap
// (return cached credentials; refresh elsewhere).
//
// Thread safety: every call may be made from any thread at once. The client must outlive the
// callbacks of the requests it sent (destroy the transport first, which completes them).
#ifndef KINESIS_WIRE_KINESIS_CLIENT_H_
#define KINESIS_WIRE_KINESIS_CLIENT_H_

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "auth/credentials.h"
#include "auth/sigv4_signer.h"
#include "http/endpoint.h"
#include "http/http_transport.h"
#include "wire/api_error.h"
#include "wire/json_requests.h"
#include "wire/responses.h"

namespace kinesis::wire {

enum class Protocol {
  kJson,  // application/x-amz-json-1.1 for everything (default)
  kCbor,  // application/x-amz-cbor-1.1 for PutRecords and PutRecord (no base64), JSON otherwise
};

struct KinesisClientOptions {
  std::string region;             // required unless the endpoint is overridden ("us-east-1")
  std::string endpoint_override;  // "http://127.0.0.1:4567"; empty: env, then the region's
  Protocol protocol = Protocol::kJson;
  std::chrono::milliseconds request_timeout{0};  // 0: the transport's default
  EnvLookup env;                                  // empty: the process environment
};

using CredentialSource = std::function<Result<auth::Credentials>()>;

// The value of calls that return nothing but success.
struct Done {};

class KinesisClient {
 public:
  template <typename T>
  using Callback = std::function<void(ApiResult<T>)>;

  // Fails with kInvalidArgument for a malformed endpoint or region, or a missing source/transport.
  // When the endpoint is overridden, an empty region signs as "us-east-1".
  static Result<std::unique_ptr<KinesisClient>> Create(
      KinesisClientOptions options, CredentialSource credentials,
      std::shared_ptr<http::HttpTransport> transport);

  // The result has one entry per record, in order (checked).
  void PutRecords(StreamRef stream, std::span<const PutRecordsEntry> records,
                  Callback<PutRecordsResult> done);
  void PutRecord(const PutRecordRequest& request, Callback<PutRecordResult> done);
  void ListShards(const ListShardsRequest& request, Callback<ListShardsResult> done);
  void DescribeStreamSummary(StreamRef stream, Callback<StreamSummary> done);
  void CreateStream(const CreateStreamRequest& request, Callback<Done> done);
  void DeleteStream(StreamRef stream, Callback<Done> done);
  void SplitShard(const SplitShardRequest& request, Callback<Done> done);
  void MergeShards(const MergeShardsRequest& request, Callback<Done> done);
  void UpdateShardCount(const UpdateShardCountRequest& request, Callback<Done> done);
  void GetShardIterator(const GetShardIteratorRequest& request, Callback<std::string> done);
  void GetRecords(const GetRecordsRequest& request, Callback<GetRecordsResult> done);

  const http::Endpoint& endpoint() const { return endpoint_; }

 private:
  KinesisClient(KinesisClientOptions options, http::Endpoint endpoint, std::string region,
                CredentialSource credentials, std::shared_ptr<http::HttpTransport> transport);

  // Parses a 200 response body.
  template <typename T>
  using Parser = std::function<Result<T>(http::HttpResponse&)>;  // may take the body

  template <typename T>
  void Call(Operation op, bool cbor, Status built, std::string body, Parser<T> parse,
            Callback<T> done);
  // Signs and fills the HTTP request; kCredentials/kFatal ApiError on failure.
  std::optional<ApiError> Prepare(Operation op, bool cbor, std::string body,
                                  http::HttpRequest& request) const;

  const KinesisClientOptions options_;
  const http::Endpoint endpoint_;
  const std::string url_;
  const std::string host_header_;
  const CredentialSource credentials_;
  const std::shared_ptr<http::HttpTransport> transport_;
  const auth::SigV4Signer signer_;
};

// Turns a non-200 response into a classified ApiError: the code from x-amzn-ErrorType, else the
// body's __type (JSON, or CBOR when the response says so), else "HTTP<status>".
ApiError ErrorFromResponse(const http::HttpResponse& response);

}  // namespace kinesis::wire

#endif  // KINESIS_WIRE_KINESIS_CLIENT_H_

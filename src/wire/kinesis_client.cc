#include "wire/kinesis_client.h"

#include <chrono>

#include "http/body_buffers.h"
#include "wire/cbor_codec.h"
#include "wire/json_responses.h"

namespace kinesis::wire {
namespace {

constexpr const char kJsonType[] = "application/x-amz-json-1.1";
constexpr const char kCborType[] = "application/x-amz-cbor-1.1";

ApiError InvalidRequest(const Status& why) {
  return ApiError{ErrorKind::kFatal, 0, "InvalidRequest", why.message()};
}

std::function<Result<Done>(http::HttpResponse&)> NoValue() {
  return [](http::HttpResponse&) -> Result<Done> { return Done{}; };
}

}  // namespace

ApiError ErrorFromResponse(const http::HttpResponse& response) {
  ApiError error;
  error.http_status = response.status;
  std::string_view header_code = NormalizeErrorCode(response.Header("x-amzn-errortype"));
  Result<ServiceErrorBody> body = Status::NotFound("empty body");
  if (!response.body.empty()) {
    body = response.Header("content-type").starts_with(kCborType) ? ParseErrorCbor(response.body)
                                                                  : ParseErrorJson(response.body);
  }
  if (body.ok()) {
    error.code = std::string(NormalizeErrorCode(body->type));
    error.message = body->message;
  }
  if (!header_code.empty()) error.code = std::string(header_code);
  if (error.code.empty()) error.code = "HTTP" + std::to_string(response.status);
  error.kind = ClassifyServiceError(error.code, response.status);
  return error;
}

Result<std::unique_ptr<KinesisClient>> KinesisClient::Create(
    KinesisClientOptions options, CredentialSource credentials,
    std::shared_ptr<http::HttpTransport> transport) {
  if (!credentials) return Status::InvalidArgument("KinesisClient needs a credential source");
  if (!transport) return Status::InvalidArgument("KinesisClient needs an HTTP transport");
  EnvLookup env = options.env ? options.env : SystemEnvironment();
  auto endpoint = http::ResolveEndpoint(options.endpoint_override, options.region, env);
  if (!endpoint.ok()) return endpoint.status();
  std::string region = options.region;
  if (region.empty()) region = "us-east-1";  // only reachable with an overridden endpoint
  KINESIS_RETURN_IF_ERROR(http::ValidateRegion(region));
  return std::unique_ptr<KinesisClient>(new KinesisClient(std::move(options), std::move(*endpoint),
                                                          std::move(region), std::move(credentials),
                                                          std::move(transport)));
}

KinesisClient::KinesisClient(KinesisClientOptions options, http::Endpoint endpoint,
                             std::string region, CredentialSource credentials,
                             std::shared_ptr<http::HttpTransport> transport)
    : options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      url_(endpoint_.Url()),
      host_header_(endpoint_.HostHeader()),
      credentials_(std::move(credentials)),
      transport_(std::move(transport)),
      signer_(std::move(region), "kinesis") {}

std::optional<ApiError> KinesisClient::Prepare(Operation op, bool cbor, std::string body,
                                               http::HttpRequest& request) const {
  Result<auth::Credentials> credentials = credentials_();
  if (!credentials.ok()) {
    return ApiError{ErrorKind::kCredentials, 0, "MissingCredentials",
                    credentials.status().message()};
  }
  request.url = url_;
  request.timeout = options_.request_timeout;
  request.body = std::move(body);
  request.headers.reserve(8);
  request.headers.emplace_back("Host", host_header_);
  request.headers.emplace_back("Content-Type", cbor ? kCborType : kJsonType);
  request.headers.emplace_back("X-Amz-Target", TargetHeader(op));
  auth::SignableRequest signable{"POST", "/", "", request.headers, request.body};
  auto signed_headers = signer_.Sign(signable, *credentials, std::chrono::system_clock::now());
  if (!signed_headers.ok()) {
    return ApiError{signed_headers.status().code() == StatusCode::kPermissionDenied
                        ? ErrorKind::kCredentials
                        : ErrorKind::kFatal,
                    0, "SigningFailed", signed_headers.status().message()};
  }
  for (auto& header : *signed_headers) request.headers.push_back(std::move(header));
  return std::nullopt;
}

template <typename T>
void KinesisClient::Call(Operation op, bool cbor, Status built, std::string body, Parser<T> parse,
                         Callback<T> done) {
  if (!built.ok()) {
    done(InvalidRequest(built));
    return;
  }
  http::HttpRequest request;
  if (auto error = Prepare(op, cbor, std::move(body), request)) {
    done(std::move(*error));
    return;
  }
  transport_->Send(std::move(request), [parse = std::move(parse), done = std::move(done)](
                                           Result<http::HttpResponse> response) {
    if (!response.ok()) {
      done(TransportError(response.status()));
      return;
    }
    if (response->status != 200) {
      done(ErrorFromResponse(*response));
      return;
    }
    Result<T> value = parse(*response);
    if (!value.ok()) {
      done(MalformedResponse(response->status, value.status()));
      return;
    }
    done(std::move(*value));
  });
}

void KinesisClient::PutRecords(StreamRef stream, std::span<const PutRecordsEntry> records,
                               Callback<PutRecordsResult> done) {
  bool cbor = options_.protocol == Protocol::kCbor;
  std::string body = http::BodyBuffers::Take();  // an earlier body's buffer, to replace
  Status built = cbor ? BuildPutRecordsCbor(stream, records, body)
                      : BuildPutRecordsJson(stream, records, body);
  size_t count = records.size();
  Parser<PutRecordsResult> parse = [count](http::HttpResponse& r) {
    return r.Header("content-type").starts_with(kCborType)
               ? ParsePutRecordsCbor(r.body, count)
               : ParsePutRecordsJson(std::move(r.body), count);
  };
  Call(Operation::kPutRecords, cbor, std::move(built), std::move(body), std::move(parse),
       std::move(done));
}

void KinesisClient::PutRecord(const PutRecordRequest& request, Callback<PutRecordResult> done) {
  bool cbor = options_.protocol == Protocol::kCbor;
  std::string body;
  Status built = cbor ? BuildPutRecordCbor(request, body) : BuildPutRecordJson(request, body);
  Parser<PutRecordResult> parse = [](http::HttpResponse& r) {
    return r.Header("content-type").starts_with(kCborType) ? ParsePutRecordCbor(r.body)
                                                           : ParsePutRecordJson(r.body);
  };
  Call(Operation::kPutRecord, cbor, std::move(built), std::move(body), std::move(parse),
       std::move(done));
}

void KinesisClient::ListShards(const ListShardsRequest& request, Callback<ListShardsResult> done) {
  std::string body;
  Status built = BuildListShardsJson(request, body);
  Call<ListShardsResult>(
      Operation::kListShards, false, std::move(built), std::move(body),
      [](http::HttpResponse& r) { return ParseListShardsJson(r.body); }, std::move(done));
}

void KinesisClient::DescribeStreamSummary(StreamRef stream, Callback<StreamSummary> done) {
  std::string body;
  Status built = BuildDescribeStreamSummaryJson(stream, body);
  Call<StreamSummary>(
      Operation::kDescribeStreamSummary, false, std::move(built), std::move(body),
      [](http::HttpResponse& r) { return ParseDescribeStreamSummaryJson(r.body); },
      std::move(done));
}

void KinesisClient::CreateStream(const CreateStreamRequest& request, Callback<Done> done) {
  std::string body;
  Status built = BuildCreateStreamJson(request, body);
  Call(Operation::kCreateStream, false, std::move(built), std::move(body), NoValue(),
       std::move(done));
}

void KinesisClient::DeleteStream(StreamRef stream, Callback<Done> done) {
  std::string body;
  Status built = BuildDeleteStreamJson(stream, body);
  Call(Operation::kDeleteStream, false, std::move(built), std::move(body), NoValue(),
       std::move(done));
}

void KinesisClient::SplitShard(const SplitShardRequest& request, Callback<Done> done) {
  std::string body;
  Status built = BuildSplitShardJson(request, body);
  Call(Operation::kSplitShard, false, std::move(built), std::move(body), NoValue(),
       std::move(done));
}

void KinesisClient::MergeShards(const MergeShardsRequest& request, Callback<Done> done) {
  std::string body;
  Status built = BuildMergeShardsJson(request, body);
  Call(Operation::kMergeShards, false, std::move(built), std::move(body), NoValue(),
       std::move(done));
}

void KinesisClient::UpdateShardCount(const UpdateShardCountRequest& request, Callback<Done> done) {
  std::string body;
  Status built = BuildUpdateShardCountJson(request, body);
  Call(Operation::kUpdateShardCount, false, std::move(built), std::move(body), NoValue(),
       std::move(done));
}

void KinesisClient::GetShardIterator(const GetShardIteratorRequest& request,
                                     Callback<std::string> done) {
  std::string body;
  Status built = BuildGetShardIteratorJson(request, body);
  Call<std::string>(
      Operation::kGetShardIterator, false, std::move(built), std::move(body),
      [](http::HttpResponse& r) { return ParseGetShardIteratorJson(r.body); }, std::move(done));
}

void KinesisClient::GetRecords(const GetRecordsRequest& request, Callback<GetRecordsResult> done) {
  std::string body;
  Status built = BuildGetRecordsJson(request, body);
  Call<GetRecordsResult>(
      Operation::kGetRecords, false, std::move(built), std::move(body),
      [](http::HttpResponse& r) { return ParseGetRecordsJson(r.body); }, std::move(done));
}

}  // namespace kinesis::wire

// KinesisBackend: the two calls the producer's engine makes to Kinesis.
//
// The HTTP client (src/wire, src/http) implements it against the real service or a local
// server; tests implement it in-process to script answers. Keeping the engine behind this
// interface keeps it free of HTTP, signing and JSON.
//
// Thread safety: calls come from the engine thread; completions may run on any thread, and
// must not be run inline from within the call (the engine is not reentrant).
#ifndef KINESIS_KINESIS_BACKEND_H_
#define KINESIS_KINESIS_BACKEND_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/hash_key.h"
#include "kinesis/status.h"

namespace kinesis {

// One Kinesis record of a PutRecords request. The bytes the views point to stay valid until
// the completion runs; the vector holding them only during the call.
struct OutgoingRecord {
  std::string_view data;
  std::string_view partition_key;
  std::string_view explicit_hash_key;  // empty: none
};

// What the service said about one record of a PutRecords request.
struct RecordOutcome {
  std::string shard_id;         // on success
  std::string sequence_number;  // on success
  std::string error_code;       // empty on success
  std::string error_message;
};

enum class RequestFailure {
  kNone,       // the request was answered; see `records`
  kRetriable,  // throttling of the whole request, 5xx, a connection refused before sending
  kAmbiguous,  // timeout or reset after the request was sent: it may have been written
  kFatal,      // validation, not found, access denied, KMS: retrying cannot help
};

struct PutRecordsOutcome {
  RequestFailure failure = RequestFailure::kNone;
  std::string error_code;  // the service's (or the transport's) code, for a failed request
  std::string error_message;
  std::vector<RecordOutcome> records;  // one per request record, in order, when answered
};

struct ShardListing {
  std::string shard_id;
  HashKey starting_hash_key;
  HashKey ending_hash_key;
  std::string parent_shard_id;
  std::string adjacent_parent_shard_id;
  bool closed = false;
};

class KinesisBackend {
 public:
  virtual ~KinesisBackend() = default;

  // PutRecords to `stream` (a name, or an ARN starting with "arn:").
  virtual void PutRecords(std::string_view stream, const std::vector<OutgoingRecord>& records,
                          std::function<void(PutRecordsOutcome)> done) = 0;

  // Every shard of the stream (all pages). A Status with kNotFound means the stream does not
  // exist; kUnavailable is retriable; others are fatal.
  virtual void ListShards(std::string_view stream,
                          std::function<void(Result<std::vector<ShardListing>>)> done) = 0;

  // How many times the credentials were fetched again after the first time (0 for back-ends
  // without credentials). Read once a second for the CredentialRefreshes metric.
  virtual uint64_t credential_refreshes() const { return 0; }

  // True when this back-end talks to the AWS service's own endpoint (then CloudWatch is there
  // too, and metrics are uploaded by default); false for local servers and test fakes.
  virtual bool is_aws_endpoint() const { return false; }
};

}  // namespace kinesis

#endif  // KINESIS_KINESIS_BACKEND_H_

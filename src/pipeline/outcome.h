// What an answer from Kinesis means for a Kinesis record: the one place where a result becomes
// an action. The error codes' classes come from the one table (kinesis/error_codes.h); this
// file says what the engine does with each (Engine::HandleOutcome in engine_outcome.cc acts on
// the verdict).
//
//   answered, no error, the predicted shard (or not aggregated)  -> kSucceeded
//   answered, no error, an aggregate in another shard           -> kReachedOtherShard
//   ProvisionedThroughputExceeded (the entry's code)             -> kThrottled
//   InternalFailure, 5xx, a network failure, a credentials code  -> kRetry
//   anything fatal (validation, KMS, access, not found)          -> kFail
//
// Invariants: every Kinesis record of an answer gets exactly one verdict; a verdict never
// depends on the record's attempts or age (RecordTtl is enforced while records wait, by
// ExpireQueued, not here).
#ifndef KINESIS_PIPELINE_OUTCOME_H_
#define KINESIS_PIPELINE_OUTCOME_H_

#include <string_view>

#include "kinesis/error_codes.h"
#include "kinesis/kinesis_backend.h"

namespace kinesis {

enum class Verdict {
  kSucceeded,          // its members succeed
  kReachedOtherShard,  // an aggregate written to a shard the map did not predict: the members
                       // that shard owns succeed, the others are sent again (CheckWrongShard);
                       // a shard the map does not know parks it until the refreshed map says
  kThrottled,          // its shard's limiter slows down; retried after a backoff in the same
                       // shard (Retry), or failed under FailIfThrottled
  kRetry,              // retried after a backoff in the same shard (Retry), or routed again
                       // when its shard left the map (RouteAgain)
  kFail,               // its members fail with the code
};

// An entry's code: credential codes never come in an entry; were one to, it is retried.
inline ErrorClass ClassifyEntryError(std::string_view code) {
  ErrorClass c = ClassifyError(code, 0);
  return c == ErrorClass::kCredentials ? ErrorClass::kRetriable : c;
}

// A request that failed as a whole: every record of it gets this verdict. An ambiguous failure
// (the request may have been written) is retried, and counted as possible duplicates.
inline Verdict JudgeRequest(RequestFailure failure) {
  return failure == RequestFailure::kFatal ? Verdict::kFail : Verdict::kRetry;
}

// One entry of an answered request, for a Kinesis record predicted for `predicted_shard`.
inline Verdict JudgeEntry(const RecordOutcome& entry, std::string_view predicted_shard,
                          bool aggregated) {
  if (entry.error_code.empty()) {
    return entry.shard_id == predicted_shard || !aggregated ? Verdict::kSucceeded
                                                            : Verdict::kReachedOtherShard;
  }
  switch (ClassifyEntryError(entry.error_code)) {
    case ErrorClass::kThrottled:
      return Verdict::kThrottled;
    case ErrorClass::kCredentials:
    case ErrorClass::kRetriable:
      return Verdict::kRetry;
    case ErrorClass::kFatal:
      break;
  }
  return Verdict::kFail;
}

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_OUTCOME_H_

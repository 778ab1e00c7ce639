// How the engine treats an error code from a PutRecords entry: the one table
// (kinesis/error_codes.h) for an entry of a 200 answer. Credential codes never come in an
// entry; were one to, it is retried.
#ifndef KINESIS_PIPELINE_ERROR_CLASS_H_
#define KINESIS_PIPELINE_ERROR_CLASS_H_

#include <string_view>

#include "kinesis/error_codes.h"

namespace kinesis {

inline ErrorClass ClassifyRecordError(std::string_view code) {
  ErrorClass c = ClassifyError(code, 0);
  return c == ErrorClass::kCredentials ? ErrorClass::kRetriable : c;
}

}  // namespace kinesis

#endif  // KINESIS_PIPELINE_ERROR_CLASS_H_

#include "kinesis/error_codes.h"

namespace kinesis {

ErrorClass ClassifyError(std::string_view code, long http_status) {
  for (std::string_view c : {"ProvisionedThroughputExceededException", "ThrottlingException",
                             "LimitExceededException", "KMSThrottlingException",
                             "RequestLimitExceeded", "TooManyRequestsException"}) {
    if (code == c) return ErrorClass::kThrottled;
  }
  for (std::string_view c : {"ExpiredTokenException", "ExpiredToken",
                             "UnrecognizedClientException", "InvalidSignatureException",
                             "SignatureDoesNotMatch", "MissingAuthenticationTokenException",
                             "InvalidClientTokenId"}) {
    if (code == c) return ErrorClass::kCredentials;
  }
  for (std::string_view c : {"InternalFailure", "InternalFailureException", "InternalServerError",
                             "ServiceUnavailable", "ServiceUnavailableException"}) {
    if (code == c) return ErrorClass::kRetriable;
  }
  // ValidationException, InvalidArgumentException, ResourceNotFoundException,
  // ResourceInUseException, AccessDeniedException, SerializationException, KMS configuration.
  for (std::string_view c : {"ValidationException", "InvalidArgumentException",
                             "ResourceNotFoundException", "ResourceInUseException",
                             "AccessDeniedException", "SerializationException"}) {
    if (code == c) return ErrorClass::kFatal;
  }
  if (code.starts_with("KMS")) return ErrorClass::kFatal;
  if (http_status == 429) return ErrorClass::kThrottled;
  if (http_status >= 500) return ErrorClass::kRetriable;
  if (http_status >= 400) return ErrorClass::kFatal;  // 413 and unknown 4xx
  return ErrorClass::kRetriable;
}

}  // namespace kinesis

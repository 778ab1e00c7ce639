// Credentials from the JSON documents AWS credential sources answer with:
//   container and instance metadata: {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
//   credential_process:              {"Version": 1, "AccessKeyId", "SecretAccessKey",
//                                     "SessionToken", "Expiration"}
//
// Pure functions; any thread.
#ifndef KINESIS_AUTH_CREDENTIALS_DOCUMENT_H_
#define KINESIS_AUTH_CREDENTIALS_DOCUMENT_H_

#include <string_view>

#include "auth/credentials.h"
#include "kinesis/status.h"

namespace kinesis::auth {

enum class CredentialsDocumentKind {
  kMetadata,           // container / IMDS: session token in "Token"
  kCredentialProcess,  // "Version" must be 1, session token in "SessionToken"
};

// Fails with kCorruption (message starting with `source`) on malformed JSON, a missing or
// non-string AccessKeyId / SecretAccessKey, a bad Expiration, a wrong Version, or an IMDS
// "Code" other than "Success". Messages never contain the document's secret values.
Result<Credentials> ParseCredentialsDocument(std::string_view text, CredentialsDocumentKind kind,
                                             std::string_view source);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_CREDENTIALS_DOCUMENT_H_

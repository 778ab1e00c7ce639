#include "auth/credentials_document.h"

#include "auth/credentials_provider.h"
#include "auth/flat_json.h"
#include "auth/iso8601.h"

namespace kinesis::auth {

Result<Credentials> ParseCredentialsDocument(std::string_view text, CredentialsDocumentKind kind,
                                             std::string_view source) {
  const std::string prefix = std::string(source) + " answer: ";
  Result<FlatJson> json = FlatJson::Parse(text);
  if (!json.ok()) return Status::Corruption(prefix + json.status().message());
  if (kind == CredentialsDocumentKind::kCredentialProcess) {
    std::optional<std::string> version = json->Number("Version");
    if (version != "1") {
      return Status::Corruption(prefix + "\"Version\" must be the number 1, got " +
                                (version ? *version : "no number"));
    }
  }
  std::optional<std::string> code = json->String("Code");
  if (kind == CredentialsDocumentKind::kMetadata && code && *code != "Success") {
    // The code is quoted for diagnosis, but a broken server could put anything there.
    return Status::Corruption(
        prefix + "\"Code\" is '" +
        Redact(code->substr(0, 64),
               {json->String("SecretAccessKey").value_or(""), json->String("Token").value_or("")}) +
        "', not 'Success'");
  }
  Credentials credentials;
  std::optional<std::string> id = json->String("AccessKeyId");
  std::optional<std::string> secret = json->String("SecretAccessKey");
  if (!id || id->empty()) return Status::Corruption(prefix + "no string field \"AccessKeyId\"");
  if (!secret || secret->empty()) {
    return Status::Corruption(prefix + "no string field \"SecretAccessKey\"");
  }
  credentials.access_key_id = std::move(*id);
  credentials.secret_access_key = std::move(*secret);
  const char* token_field = kind == CredentialsDocumentKind::kMetadata ? "Token" : "SessionToken";
  credentials.session_token = json->String(token_field).value_or("");
  if (json->Has("Expiration")) {
    std::optional<std::string> expiration = json->String("Expiration");
    if (!expiration) return Status::Corruption(prefix + "\"Expiration\" is not a string");
    Result<std::chrono::system_clock::time_point> time = ParseIso8601(*expiration);
    if (!time.ok()) {
      return Status::Corruption(prefix +
                                Redact(time.status().message(),
                                       {credentials.secret_access_key, credentials.session_token}));
    }
    credentials.expiration = *time;
  } else if (kind == CredentialsDocumentKind::kMetadata) {
    // Metadata credentials are always temporary; without an expiry we could never refresh them.
    return Status::Corruption(prefix + "no \"Expiration\" for temporary credentials");
  }
  return credentials;
}

}  // namespace kinesis::auth

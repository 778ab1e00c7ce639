// Fuzzes credential_process / metadata JSON parsing (FlatJson and the credentials document).
// A document that parses must give non-empty keys; an error message never quotes the input's
// secret (checked when the input parses far enough to have one).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/credentials_document.h"
#include "auth/flat_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = kinesis::auth::FlatJson::Parse(text);
  for (auto kind : {kinesis::auth::CredentialsDocumentKind::kCredentialProcess,
                    kinesis::auth::CredentialsDocumentKind::kMetadata}) {
    auto credentials = kinesis::auth::ParseCredentialsDocument(text, kind, "fuzz");
    if (credentials.ok()) {
      if (!json.ok() || credentials->access_key_id.empty() ||
          credentials->secret_access_key.empty()) {
        std::abort();
      }
      continue;
    }
    if (json.ok()) {
      auto secret = json->String("SecretAccessKey");
      // Short secrets can occur in the message by chance (e.g. "1"); only long ones count.
      if (secret && secret->size() >= 16 &&
          credentials.status().message().find(*secret) != std::string::npos) {
        // A leak only if the message got it from the secret: the same document with the
        // secret's characters changed must not give a message containing it (a secret
        // "wer: no string field " matches the fixed words of "...answer: no string field").
        size_t at = text.find(*secret);
        if (at == std::string_view::npos) continue;  // written with escapes: cannot tell
        std::string changed(text);
        for (size_t i = 0; i < secret->size(); ++i) {
          changed[at + i] = (*secret)[i] == 'Q' ? 'R' : 'Q';
        }
        auto other = kinesis::auth::ParseCredentialsDocument(changed, kind, "fuzz");
        if (other.ok() || other.status().message().find(*secret) == std::string::npos) {
          std::abort();
        }
      }
    }
  }
  return 0;
}

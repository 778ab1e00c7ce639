// ProfileFile: the shared AWS `credentials` and `config` files (INI-like, with profiles).
//
//   credentials:  [name]            aws_access_key_id = ...
//   config:       [default]  [profile name]   region = ...   credential_process = ...
//
// Rules followed (those of the AWS SDKs' shared-file format): lines starting with '#' or ';'
// are comments, and so is the rest of a line from " #" or " ;" on; a line starting with white
// space continues the property above it (joined with '\n') or, when that property's value is
// empty, holds a sub-property (stored as "parent.key"); in config files sections other than
// [default] and [profile x] (sso-session, services...) are skipped; a profile named twice is
// merged, the later value winning.
//
// Error messages give the source and line number, never the line: it may hold a secret.
//
// Thread safety: a value; const methods from any thread.
#ifndef KINESIS_AUTH_PROFILE_FILE_H_
#define KINESIS_AUTH_PROFILE_FILE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "auth/credentials_provider.h"
#include "kinesis/status.h"

namespace kinesis::auth {

class ProfileFile {
 public:
  enum class Kind { kCredentials, kConfig };
  using Properties = std::map<std::string, std::string>;

  // kCorruption for a property outside a profile, a line that is neither a section nor
  // "key = value", an unclosed section header or an empty name.
  static Result<ProfileFile> Parse(std::string_view text, Kind kind, std::string_view source);

  // The credentials and config files merged (credentials win), from AWS_SHARED_CREDENTIALS_FILE
  // and AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config. A missing file counts as
  // empty; kNotFound when both are missing; kIoError when one cannot be read.
  static Result<ProfileFile> LoadShared(const EnvLookup& env);
  // The paths LoadShared reads.
  static std::string CredentialsPath(const EnvLookup& env);
  static std::string ConfigPath(const EnvLookup& env);

  // Properties of `other` override those of this file, profile by profile.
  void MergeFrom(const ProfileFile& other);

  const Properties* Profile(const std::string& name) const;
  std::optional<std::string> Get(const std::string& profile, const std::string& key) const;
  const std::map<std::string, Properties>& profiles() const { return profiles_; }
  // Where the profiles came from, for messages ("~/.aws/credentials and ~/.aws/config").
  const std::string& sources() const { return sources_; }

 private:
  std::map<std::string, Properties> profiles_;
  std::string sources_;
};

// The profile to use: AWS_PROFILE, else "default".
std::string SelectedProfile(const EnvLookup& env);

}  // namespace kinesis::auth

#endif  // KINESIS_AUTH_PROFILE_FILE_H_

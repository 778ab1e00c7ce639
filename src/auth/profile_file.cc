#include "auth/profile_file.h"

#include "auth/read_file.h"

namespace kinesis::auth {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && IsBlank(text[start])) ++start;
  size_t end = text.size();
  while (end > start && IsBlank(text[end - 1])) --end;
  return text.substr(start, end - start);
}

// Cuts a trailing comment that starts with white space followed by '#' or ';'.
std::string_view StripInlineComment(std::string_view text) {
  for (size_t i = 1; i < text.size(); ++i) {
    if ((text[i] == '#' || text[i] == ';') && IsBlank(text[i - 1])) return text.substr(0, i);
  }
  return text;
}

Status LineError(std::string_view source, size_t line, std::string_view what) {
  return Status::Corruption(std::string(source) + " line " + std::to_string(line) + ": " +
                            std::string(what));
}

std::string ExpandHome(const EnvLookup& env, std::string path) {
  if (path.rfind("~/", 0) == 0) {
    path = env("HOME").value_or("") + path.substr(1);
  }
  return path;
}

}  // namespace

Result<ProfileFile> ProfileFile::Parse(std::string_view text, Kind kind, std::string_view source) {
  ProfileFile file;
  file.sources_ = std::string(source);
  Properties* current = nullptr;  // null before the first section
  bool skipping_section = false;  // inside a config section that is not a profile
  std::string last_key;           // the property a continuation line belongs to
  bool sub_properties = false;    // last_key had an empty value: indented lines are key = value
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') continue;

    if (IsBlank(line[0])) {  // continuation or sub-property
      if (skipping_section) continue;
      if (current == nullptr || last_key.empty()) {
        return LineError(source, line_number, "indented line without a property above it");
      }
      std::string_view value = Trim(StripInlineComment(trimmed));
      if (!sub_properties) {
        std::string& parent = (*current)[last_key];
        parent.push_back('\n');
        parent.append(value);
        continue;
      }
      size_t eq = value.find('=');
      std::string key(Trim(value.substr(0, eq)));
      if (eq == std::string_view::npos || key.empty()) {
        return LineError(source, line_number, "sub-property is not 'key = value'");
      }
      (*current)[last_key + "." + key] = std::string(Trim(value.substr(eq + 1)));
      continue;
    }

    if (trimmed[0] == '[') {
      size_t close = trimmed.find(']');
      if (close == std::string_view::npos) {
        return LineError(source, line_number, "section header without ']'");
      }
      std::string_view rest = Trim(trimmed.substr(close + 1));
      if (!rest.empty() && rest[0] != '#' && rest[0] != ';') {
        return LineError(source, line_number, "text after a section header");
      }
      std::string_view name = Trim(trimmed.substr(1, close - 1));
      last_key.clear();
      if (kind == Kind::kConfig) {
        if (name.substr(0, 7) == "profile" && name.size() > 7 && IsBlank(name[7])) {
          name = Trim(name.substr(8));
        } else if (name != "default") {
          skipping_section = true;  // sso-session, services, or a name without "profile "
          current = nullptr;
          continue;
        }
      }
      if (name.empty()) return LineError(source, line_number, "empty profile name");
      skipping_section = false;
      current = &file.profiles_[std::string(name)];
      continue;
    }

    if (skipping_section) continue;
    size_t eq = trimmed.find('=');
    if (eq == std::string_view::npos) {
      return LineError(source, line_number, "expected '[profile]' or 'key = value'");
    }
    if (current == nullptr) {
      return LineError(source, line_number, "property before the first [profile] header");
    }
    std::string key(Trim(trimmed.substr(0, eq)));
    if (key.empty()) return LineError(source, line_number, "property without a name");
    std::string value(Trim(StripInlineComment(trimmed.substr(eq + 1))));
    sub_properties = value.empty();
    (*current)[key] = std::move(value);
    last_key = std::move(key);
  }
  return file;
}

std::string ProfileFile::CredentialsPath(const EnvLookup& env) {
  return ExpandHome(env,
                    NonEmpty(env, "AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"));
}

std::string ProfileFile::ConfigPath(const EnvLookup& env) {
  return ExpandHome(env, NonEmpty(env, "AWS_CONFIG_FILE").value_or("~/.aws/config"));
}

Result<ProfileFile> ProfileFile::LoadShared(const EnvLookup& env) {
  const std::string config_path = ConfigPath(env);
  const std::string credentials_path = CredentialsPath(env);
  ProfileFile merged;
  merged.sources_ = credentials_path + " and " + config_path;
  bool any = false;
  for (const auto& [path, kind] :
       {std::pair{config_path, Kind::kConfig}, std::pair{credentials_path, Kind::kCredentials}}) {
    Result<std::string> text =
        ReadSmallFile(path, kind == Kind::kConfig ? "AWS config file" : "AWS credentials file");
    if (!text.ok()) {
      if (text.status().code() == StatusCode::kNotFound) continue;
      return text.status();
    }
    Result<ProfileFile> file = Parse(*text, kind, path);
    if (!file.ok()) return file.status();
    merged.MergeFrom(*file);  // credentials come second, so they win
    any = true;
  }
  if (!any) {
    return Status::NotFound("neither " + credentials_path + " nor " + config_path + " exists");
  }
  return merged;
}

void ProfileFile::MergeFrom(const ProfileFile& other) {
  for (const auto& [name, properties] : other.profiles_) {
    Properties& target = profiles_[name];
    for (const auto& [key, value] : properties) target[key] = value;
  }
}

const ProfileFile::Properties* ProfileFile::Profile(const std::string& name) const {
  auto it = profiles_.find(name);
  return it == profiles_.end() ? nullptr : &it->second;
}

std::optional<std::string> ProfileFile::Get(const std::string& profile,
                                            const std::string& key) const {
  const Properties* properties = Profile(profile);
  if (properties == nullptr) return std::nullopt;
  auto it = properties->find(key);
  if (it == properties->end()) return std::nullopt;
  return it->second;
}

std::string SelectedProfile(const EnvLookup& env) {
  return NonEmpty(env, "AWS_PROFILE").value_or("default");
}

}  // namespace kinesis::auth

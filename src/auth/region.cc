#include "auth/region.h"

#include "auth/profile_file.h"

namespace kinesis::auth {

bool IsValidRegionName(std::string_view region) {
  if (region.empty() || region.size() > 64 || region.front() == '-' || region.back() == '-') {
    return false;
  }
  for (char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

Result<std::string> ResolveRegion(const std::string& explicit_region, const EnvLookup& env,
                                  const std::string& profile) {
  auto checked = [](std::string region, std::string_view source) -> Result<std::string> {
    if (!IsValidRegionName(region)) {
      return Status::InvalidArgument("region '" + region.substr(0, 80) + "' from " +
                                     std::string(source) +
                                     " is not a region name (like 'us-east-1')");
    }
    return region;
  };
  if (!explicit_region.empty()) return checked(explicit_region, "the configuration");
  if (auto region = NonEmpty(env, "AWS_REGION")) return checked(*region, "AWS_REGION");
  if (auto region = NonEmpty(env, "AWS_DEFAULT_REGION")) {
    return checked(*region, "AWS_DEFAULT_REGION");
  }
  const std::string name = profile.empty() ? SelectedProfile(env) : profile;
  Result<ProfileFile> files = ProfileFile::LoadShared(env);
  if (!files.ok() && files.status().code() != StatusCode::kNotFound) return files.status();
  if (files.ok()) {
    if (auto region = files->Get(name, "region"); region && !region->empty()) {
      return checked(*region, "profile '" + name + "' in " + files->sources());
    }
  }
  return Status::NotFound(
      "no AWS region: set it in the configuration, AWS_REGION, AWS_DEFAULT_REGION or the "
      "'region' of profile '" +
      name + "'");
}

}  // namespace kinesis::auth

#include "auth/sts_call.h"

#include "auth/iso8601.h"
#include "auth/read_file.h"
#include "auth/sigv4_canonical.h"
#include "auth/sigv4_signer.h"
#include "auth/xml_text.h"

namespace kinesis::auth {
namespace {

void AppendFormField(std::string& body, std::string_view name, std::string_view value) {
  if (!body.empty()) body.push_back('&');
  body.append(name).push_back('=');
  sigv4::AppendUriEncoded(value, /*keep_slash=*/false, body);
}

// "host[:port]" of "scheme://host[:port]/...".
std::string Authority(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  return std::string(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
}

std::string RedactAll(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) text = Redact(std::move(text), {secret});
  return text;
}

}  // namespace

std::string StsEndpoint(const std::string& configured, const EnvLookup& env,
                        const std::string& region) {
  if (!configured.empty()) return configured;
  if (std::optional<std::string> url = NonEmpty(env, "AWS_ENDPOINT_URL_STS")) return *url;
  if (region.empty()) return "https://sts.amazonaws.com";
  return "https://sts." + region + ".amazonaws.com";
}

std::string DefaultSessionName() {
  return "kinesis-producer-" +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

Result<Credentials> ParseStsCredentials(std::string_view xml) {
  std::optional<std::string_view> block = XmlElement(xml, "Credentials");
  if (!block) return Status::Corruption("STS answer has no <Credentials> element");
  std::optional<std::string> id = XmlElementText(*block, "AccessKeyId");
  std::optional<std::string> secret = XmlElementText(*block, "SecretAccessKey");
  std::optional<std::string> token = XmlElementText(*block, "SessionToken");
  std::optional<std::string> expiration = XmlElementText(*block, "Expiration");
  if (!id || id->empty()) return Status::Corruption("STS answer has no <AccessKeyId>");
  if (!secret || secret->empty()) return Status::Corruption("STS answer has no <SecretAccessKey>");
  if (!token || token->empty()) return Status::Corruption("STS answer has no <SessionToken>");
  if (!expiration) return Status::Corruption("STS answer has no <Expiration>");
  Result<std::chrono::system_clock::time_point> time = ParseIso8601(TrimWhitespace(*expiration));
  if (!time.ok()) {
    return Status::Corruption("STS answer: " + Redact(time.status().message(), {*secret, *token}));
  }
  Credentials credentials;
  credentials.access_key_id = TrimWhitespace(*id);
  credentials.secret_access_key = TrimWhitespace(*secret);
  credentials.session_token = TrimWhitespace(*token);
  credentials.expiration = *time;
  return credentials;
}

Result<Credentials> CallSts(HttpFetcher& http, const StsRequest& sts) {
  HttpFetchRequest request;
  request.method = "POST";
  request.url = sts.endpoint + "/";
  request.timeout = sts.timeout;
  request.use_proxy = true;
  const std::string content_type = "application/x-www-form-urlencoded; charset=utf-8";
  AppendFormField(request.body, "Action", sts.action);
  AppendFormField(request.body, "Version", "2011-06-15");
  for (const auto& [name, value] : sts.fields) AppendFormField(request.body, name, value);
  request.headers.emplace_back("Content-Type", content_type);
  request.headers.emplace_back("Accept", "text/xml");
  if (sts.signing_credentials != nullptr) {
    // The Host header is sent as signed, whatever the transport would have written.
    const std::string host = Authority(sts.endpoint);
    SigV4Signer signer(sts.region.empty() ? "us-east-1" : sts.region, "sts");
    SignableRequest signable{
        "POST", "/", "", {{"Host", host}, {"Content-Type", content_type}}, request.body};
    Result<SigV4Signer::Headers> added =
        signer.Sign(signable, *sts.signing_credentials, std::chrono::system_clock::now());
    if (!added.ok()) {
      return Status(added.status().code(), "STS " + sts.action + " for role '" + sts.role_arn +
                                               "': " + added.status().message());
    }
    request.headers.emplace_back("Host", host);
    for (auto& header : *added) request.headers.push_back(std::move(header));
  }
  Result<HttpFetchResponse> response = http.Send(request);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    std::string code = XmlElementText(response->body, "Code").value_or("no error code");
    std::string message = XmlElementText(response->body, "Message").value_or("");
    std::string text = "STS " + sts.action + " for role '" + sts.role_arn + "' at " + request.url +
                       " failed with HTTP " + std::to_string(response->status) + ": " +
                       code.substr(0, 128) + (message.empty() ? "" : ": " + message.substr(0, 512));
    text = RedactAll(std::move(text), sts.secrets);
    // Throttling and an unreachable identity provider are worth retrying; the rest is refusal.
    if (response->status >= 500 || response->status == 429 || code == "Throttling" ||
        code == "IDPCommunicationError") {
      return Status::Unavailable(std::move(text));
    }
    return Status::PermissionDenied(std::move(text));
  }
  return ParseStsCredentials(response->body);
}

}  // namespace kinesis::auth

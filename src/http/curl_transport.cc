#include "http/curl_transport.h"

#include <curl/curl.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "common/thread_name.h"
#include "http/body_buffers.h"

namespace kinesis::http {
namespace {

// What curl has read of a request body (OnReadBody, OnSeek).
struct BodySource {
  std::string_view body;
  size_t read = 0;
};

}  // namespace

struct CurlTransport::Transfer {
  HttpRequest request;
  HttpCallback done;
  HttpResponse response;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  BodySource body;  // views request.body
  char error[CURL_ERROR_SIZE] = {};
};

namespace {

// Spare bytes kept past a response body so simdjson can parse it in place (its padding is 64).
constexpr size_t kBodyPadding = 64;

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  size_t n = size * count;
  std::string& body = response->body;
  if (body.capacity() < body.size() + n + kBodyPadding) {
    body.reserve(std::max(body.capacity() * 2, body.size() + n + kBodyPadding));
  }
  body.append(data, n);
  return n;
}

// The body goes to curl through a read callback, not CURLOPT_POSTFIELDS, so that curl cannot
// send it a second time on its own: when a reused connection dies before any answer byte after
// the body went out, curl would rewind and resend the request on a fresh connection, and the
// server may already have carried out the first copy. With a callback it must ask (OnSeek);
// refused, the transfer fails with CURLE_SEND_FAIL_REWIND and the caller decides.
size_t OnReadBody(char* buffer, size_t size, size_t count, void* user) {
  auto* source = static_cast<BodySource*>(user);
  size_t n = std::min(size * count, source->body.size() - source->read);
  std::memcpy(buffer, source->body.data() + source->read, n);
  source->read += n;
  return n;
}

// Rewinding a body of which nothing was read yet is harmless; after that, curl wants to resend.
int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* source = static_cast<BodySource*>(user);
  if (origin == SEEK_SET && offset == 0 && source->read == 0) return CURL_SEEKFUNC_OK;
  return CURL_SEEKFUNC_CANTSEEK;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after a redirect or 1xx): forget the old one
    return line.size();
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  std::string name(Trim(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  response->headers.emplace_back(std::move(name), std::string(Trim(line.substr(colon + 1))));
  return line.size();
}

Status CurlFailure(CURLcode code, const char* detail, std::string_view url) {
  std::string message = std::string(curl_easy_strerror(code));
  if (detail != nullptr && detail[0] != '\0') message += std::string(" (") + detail + ")";
  message += " for " + std::string(url);
  switch (code) {
    case CURLE_SEND_FAIL_REWIND:
      return Status::Unavailable(
          "the connection was lost after the request was sent, before any answer: it may have "
          "been carried out; not sent again by the HTTP layer (" +
          message + ")");
    case CURLE_OPERATION_TIMEDOUT:
      return Status::DeadlineExceeded(message);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status::InvalidArgument(message);
    default:
      return Status::Unavailable(message);
  }
}

}  // namespace

Result<std::unique_ptr<CurlTransport>> CurlTransport::Create(CurlTransportOptions options) {
  if (options.max_connections_per_host < 1 || options.max_total_connections < 1) {
    return Status::InvalidArgument(
        "max_connections_per_host (" + std::to_string(options.max_connections_per_host) +
        ") and max_total_connections (" + std::to_string(options.max_total_connections) +
        ") must be at least 1");
  }
  if (options.connect_timeout.count() <= 0 || options.request_timeout.count() <= 0) {
    return Status::InvalidArgument("connect_timeout and request_timeout must be positive");
  }
  // curl_global_init is reference counted and thread-safe in curl >= 7.84.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return Status::Internal("curl_global_init failed");
  }
  std::unique_ptr<CurlTransport> transport(new CurlTransport(std::move(options)));
  if (transport->multi_ == nullptr) return Status::Internal("curl_multi_init failed");
  return transport;
}

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return;
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, options_.max_connections_per_host);
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, options_.max_total_connections);
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, options_.max_total_connections);
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  if (!options_.verify_tls && options_.log) {
    options_.log("http: TLS certificate verification is OFF (explicitly configured)");
  }
  loop_ = std::thread([this] { Loop(); });
}

CurlTransport::~CurlTransport() {
  if (multi_ == nullptr) {
    curl_global_cleanup();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  loop_.join();
  for (void* easy : idle_easy_) curl_easy_cleanup(static_cast<CURL*>(easy));
  curl_multi_cleanup(multi_);
  curl_global_cleanup();
}

void CurlTransport::Send(HttpRequest request, HttpCallback done) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->done = std::move(done);
  pending_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(transfer));
    }
  }
  if (transfer) {  // not queued: the transport is closing
    Complete(std::move(transfer), Status::FailedPrecondition("http transport is shut down"));
    return;
  }
  curl_multi_wakeup(multi_);
}

void* CurlTransport::AcquireEasy() {
  if (idle_easy_.empty()) return curl_easy_init();
  void* easy = idle_easy_.back();
  idle_easy_.pop_back();
  curl_easy_reset(static_cast<CURL*>(easy));  // keeps its connection and DNS caches
  return easy;
}

void CurlTransport::ReleaseEasy(void* easy) { idle_easy_.push_back(easy); }

Status CurlTransport::Configure(Transfer& t) {
  CURL* e = t.easy;
  const HttpRequest& r = t.request;
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  if (r.method != "GET" && r.method != "POST") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  if (r.method != "GET" || !r.body.empty()) {
    t.body = BodySource{r.body, 0};
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, OnReadBody);
    curl_easy_setopt(e, CURLOPT_READDATA, &t.body);
    curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, OnSeek);
    curl_easy_setopt(e, CURLOPT_SEEKDATA, &t.body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }
  for (const auto& [name, value] : r.headers) {
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    t.headers = curl_slist_append(t.headers, line.c_str());
  }
  t.headers = curl_slist_append(t.headers, "Expect:");
  // curl adds "Content-Type: application/x-www-form-urlencoded" to POSTs that lack one.
  bool has_type = std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) {
    return h.first.size() == 12 && strncasecmp(h.first.c_str(), "content-type", 12) == 0;
  });
  if (!has_type) t.headers = curl_slist_append(t.headers, "Content-Type:");
  if (t.headers == nullptr) return Status::Internal("out of memory building request headers");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t.response);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t.response);
  long version = CURL_HTTP_VERSION_1_1;
  if (options_.http_version == HttpVersion::kHttp2Tls) version = CURL_HTTP_VERSION_2TLS;
  if (options_.http_version == HttpVersion::kHttp2PriorKnowledge) {
    version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
  }
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, version);
  curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);  // prefer multiplexing over a new connection
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  auto timeout = r.timeout.count() > 0 ? r.timeout : options_.request_timeout;
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.ca_path.empty()) curl_easy_setopt(e, CURLOPT_CAPATH, options_.ca_path.c_str());
  // An empty proxy string disables curl's own reading of http_proxy & co.: configuration only.
  curl_easy_setopt(e, CURLOPT_PROXY, options_.proxy.c_str());
  if (!options_.proxy.empty() && !options_.proxy_user_name.empty()) {
    // Basic, sent with the first request: probing for the method would cost a round trip and
    // a body sent twice on every new connection.
    curl_easy_setopt(e, CURLOPT_PROXYAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(e, CURLOPT_PROXYUSERNAME, options_.proxy_user_name.c_str());
    curl_easy_setopt(e, CURLOPT_PROXYPASSWORD, options_.proxy_password.c_str());
  }
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  return Status::Ok();
}

void CurlTransport::StartQueued() {
  std::deque<std::unique_ptr<Transfer>> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(queue_);
  }
  for (auto& transfer : batch) {
    transfer->easy = static_cast<CURL*>(AcquireEasy());
    if (transfer->easy == nullptr) {
      Complete(std::move(transfer), Status::Internal("curl_easy_init failed"));
      continue;
    }
    Status configured = Configure(*transfer);
    CURLMcode added = configured.ok() ? curl_multi_add_handle(multi_, transfer->easy) : CURLM_OK;
    if (!configured.ok() || added != CURLM_OK) {
      ReleaseEasy(transfer->easy);
      transfer->easy = nullptr;
      Complete(std::move(transfer), configured.ok()
                                        ? Status::Internal(std::string("curl_multi_add_handle: ") +
                                                           curl_multi_strerror(added))
                                        : configured);
      continue;
    }
    active_.push_back(std::move(transfer));
  }
}

void CurlTransport::FinishDone() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    CURLcode code = msg->data.result;
    auto it = std::find_if(active_.begin(), active_.end(),
                           [easy](const auto& t) { return t->easy == easy; });
    curl_multi_remove_handle(multi_, easy);
    if (it == active_.end()) continue;  // cannot happen: every added handle is active
    std::unique_ptr<Transfer> transfer = std::move(*it);
    *it = std::move(active_.back());
    active_.pop_back();
    if (code == CURLE_OK) {
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &transfer->response.status);
      HttpResponse response = std::move(transfer->response);
      ReleaseEasy(easy);
      transfer->easy = nullptr;
      Complete(std::move(transfer), std::move(response));
    } else {
      Status failure = CurlFailure(code, transfer->error, transfer->request.url);
      ReleaseEasy(easy);
      transfer->easy = nullptr;
      Complete(std::move(transfer), std::move(failure));
    }
  }
}

void CurlTransport::Complete(std::unique_ptr<Transfer> transfer, Result<HttpResponse> result) {
  if (transfer->headers != nullptr) curl_slist_free_all(transfer->headers);
  transfer->headers = nullptr;
  HttpCallback done = std::move(transfer->done);
  BodyBuffers::Give(std::move(transfer->request.body));
  transfer.reset();
  pending_.fetch_sub(1, std::memory_order_relaxed);
  if (done) done(std::move(result));
}

void CurlTransport::Loop() {
  NameThisThread("kp-http");
  for (;;) {
    bool stopping;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping = stopping_;
    }
    if (stopping) break;
    StartQueued();
    int running = 0;
    CURLMcode rc = curl_multi_perform(multi_, &running);
    if (rc != CURLM_OK && options_.log) {
      options_.log(std::string("http: curl_multi_perform: ") + curl_multi_strerror(rc));
    }
    FinishDone();
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  // Shutting down: fail what is queued and in flight, so every callback runs exactly once.
  std::deque<std::unique_ptr<Transfer>> queued;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queued.swap(queue_);
  }
  for (auto& transfer : queued) {
    Complete(std::move(transfer), Status::FailedPrecondition("http transport shut down"));
  }
  for (auto& transfer : active_) {
    curl_multi_remove_handle(multi_, transfer->easy);
    ReleaseEasy(transfer->easy);
    transfer->easy = nullptr;
    Complete(std::move(transfer),
             Status::FailedPrecondition("http transport shut down with the request in flight"));
  }
  active_.clear();
}

}  // namespace kinesis::http

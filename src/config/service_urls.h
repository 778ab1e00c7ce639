// The URLs the producer's clients are given, made from the KPL-style settings: a bare host with
// its port setting (always TLS, as the KPL connects), or a URL as written.
//
// Thread safety: pure functions.
#ifndef KINESIS_CONFIG_SERVICE_URLS_H_
#define KINESIS_CONFIG_SERVICE_URLS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "kinesis/producer_config.h"

namespace kinesis {

// "" for an empty endpoint (the client's default), the endpoint itself when it is a URL
// ("http://127.0.0.1:4567"), else "https://<endpoint>:<port>".
std::string ServiceUrl(std::string_view endpoint, uint64_t port);

// The proxy of ProxyHost and ProxyPort: "" when ProxyHost is empty; "http://<host>:<port>" for
// a host; a URL as written, with ProxyPort added when it names no port (the KPL's documentation
// gives "https://proxy.example.com" as an example).
std::string ProxyUrl(const ProducerConfig& config);

}  // namespace kinesis

#endif  // KINESIS_CONFIG_SERVICE_URLS_H_

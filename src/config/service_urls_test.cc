#include "config/service_urls.h"

#include <gtest/gtest.h>

namespace kinesis {
namespace {

TEST(ServiceUrls, BareHostsGetTlsAndTheirPortUrlsStayAsWritten) {
  EXPECT_EQ(ServiceUrl("", 443), "");
  EXPECT_EQ(ServiceUrl("sts.eu-west-1.amazonaws.com", 8443),
            "https://sts.eu-west-1.amazonaws.com:8443");
  EXPECT_EQ(ServiceUrl("http://127.0.0.1:4567", 443), "http://127.0.0.1:4567");
}

TEST(ServiceUrls, ProxyUrlTakesAHostOrTheKplsUrlForm) {
  ProducerConfig c;
  EXPECT_EQ(ProxyUrl(c), "");
  c.proxy_host = "proxy.example.com";
  c.proxy_port = 3128;
  EXPECT_EQ(ProxyUrl(c), "http://proxy.example.com:3128");
  c.proxy_host = "https://proxy.example.com";  // the KPL's documented example
  EXPECT_EQ(ProxyUrl(c), "https://proxy.example.com:3128");
  c.proxy_host = "http://proxy.example.com:8080";
  EXPECT_EQ(ProxyUrl(c), "http://proxy.example.com:8080");
  c.proxy_host = "http://[::1]";
  EXPECT_EQ(ProxyUrl(c), "http://[::1]:3128");
}

}  // namespace
}  // namespace kinesis

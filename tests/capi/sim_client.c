#include "sim_client.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char* data;
  size_t size;
} buffer;

static size_t append(char* ptr, size_t size, size_t n, void* user) {
  buffer* b = (buffer*)user;
  size_t add = size * n;
  char* grown = (char*)realloc(b->data, b->size + add + 1);
  if (grown == NULL) return 0;
  memcpy(grown + b->size, ptr, add);
  b->size += add;
  grown[b->size] = '\0';
  b->data = grown;
  return add;
}

/* Sends one request; returns the body (malloc'd) and sets *status, or NULL. */
static char* request(int port, const char* path, const char* target, const char* body,
                     long* status) {
  char url[256];
  char target_header[128];
  buffer out = {NULL, 0};
  struct curl_slist* headers = NULL;
  CURL* curl = curl_easy_init();
  if (curl == NULL) return NULL;
  snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  if (target != NULL) {
    snprintf(target_header, sizeof(target_header), "X-Amz-Target: Kinesis_20131202.%s", target);
    headers = curl_slist_append(headers, target_header);
    headers = curl_slist_append(headers, "Content-Type: application/x-amz-json-1.1");
    headers = curl_slist_append(headers, "X-Amz-Date: 20260101T000000Z");
    /* The sim checks that the header is well-formed, not the signature. */
    headers = curl_slist_append(headers,
                                "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/"
                                "us-east-1/kinesis/aws4_request, SignedHeaders=host, "
                                "Signature=00");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  }
  if (curl_easy_perform(curl) != CURLE_OK) {
    free(out.data);
    out.data = NULL;
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return out.data;
}

int sim_port(void) {
  const char* dir = getenv("KP_BACKEND_DIR");
  char path[512];
  FILE* f;
  int port = 0;
  if (dir == NULL) return 0;
  snprintf(path, sizeof(path), "%s/kinesis_sim.port", dir);
  f = fopen(path, "r");
  if (f == NULL) return 0;
  if (fscanf(f, "%d", &port) != 1) port = 0;
  fclose(f);
  return port;
}

int sim_create_stream(int port, const char* stream, int shards) {
  char body[256];
  long status = 0;
  char* answer;
  snprintf(body, sizeof(body), "{\"StreamName\":\"%s\",\"ShardCount\":%d}", stream, shards);
  answer = request(port, "/", "CreateStream", body, &status);
  if (answer == NULL || status != 200) {
    fprintf(stderr, "CreateStream %s: HTTP %ld %s\n", stream, status, answer ? answer : "");
  }
  free(answer);
  return status == 200;
}

char* sim_records(int port, const char* stream) {
  char path[256];
  long status = 0;
  char* answer;
  snprintf(path, sizeof(path), "/_sim/records?stream=%s", stream);
  answer = request(port, path, NULL, NULL, &status);
  if (answer != NULL && status != 200) {
    free(answer);
    return NULL;
  }
  return answer;
}

static int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

size_t sim_base64_decode(const char* in, size_t size, unsigned char* out) {
  size_t written = 0;
  unsigned int bits = 0;
  int have = 0;
  size_t i;
  for (i = 0; i < size && in[i] != '='; ++i) {
    int v = base64_value(in[i]);
    if (v < 0) return (size_t)-1;
    bits = (bits << 6) | (unsigned int)v;
    have += 6;
    if (have >= 8) {
      have -= 8;
      out[written++] = (unsigned char)((bits >> have) & 0xFF);
    }
  }
  return written;
}

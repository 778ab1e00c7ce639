/* The C API's contract, in C99, against kinesis-sim over HTTP (CTest fixture kinesis_sim):
 * exactly one result per accepted record (callbacks and polling), what succeeded is in the
 * stream (read back and deaggregated with kinesis_deaggregate), flush, close, and misuse
 * (NULL handles, double close, put after close) answered with errors. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "kinesis/c/producer.h"
#include "sim_client.h"

enum { kRecords = 3000 };

static int port_;
static char stream_[64];

typedef struct {
  pthread_mutex_t mu;
  int counts[kRecords];
  int successes;
  char last_error_code[64];
} tally;

static tally tally_;

static void tally_reset(void) {
  pthread_mutex_lock(&tally_.mu);
  memset(tally_.counts, 0, sizeof(tally_.counts));
  tally_.successes = 0;
  tally_.last_error_code[0] = '\0';
  pthread_mutex_unlock(&tally_.mu);
}

static void tally_add(const kinesis_result* r) {
  size_t index = (size_t)(uintptr_t)r->user_data;
  pthread_mutex_lock(&tally_.mu);
  if (index < kRecords) ++tally_.counts[index];
  if (r->success) {
    ++tally_.successes;
  } else {
    snprintf(tally_.last_error_code, sizeof(tally_.last_error_code), "%s", r->error_code);
  }
  pthread_mutex_unlock(&tally_.mu);
}

static void on_result(const kinesis_result* result, void* user_data) {
  CHECK(result->user_data == user_data);
  CHECK(result->shard_id != NULL && result->sequence_number != NULL);
  CHECK(result->error_code != NULL && result->error_message != NULL);
  CHECK(result->attempts >= (result->success ? 1u : 0u));
  tally_add(result);
}

/* Every record got exactly one result; returns how many succeeded. */
static int check_exactly_one_result(int n) {
  int i;
  int successes;
  pthread_mutex_lock(&tally_.mu);
  for (i = 0; i < n; ++i) {
    if (tally_.counts[i] != 1) {
      fprintf(stderr, "record %d has %d results\n", i, tally_.counts[i]);
      ++check_failures_;
      break;
    }
  }
  successes = tally_.successes;
  pthread_mutex_unlock(&tally_.mu);
  return successes;
}

static kinesis_config* sim_config(int endpoint_port) {
  char endpoint[64];
  kinesis_config* config = kinesis_config_new();
  snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", endpoint_port);
  CHECK_STATUS(kinesis_config_set(config, "Region", "us-east-1"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "KinesisEndpoint", endpoint), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "AwsAccessKeyId", "AKIDCAPITEST"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "AwsSecretKey", "capi-test-secret"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "RecordMaxBufferedTime", "20"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "MetricsUploadDelay", "60000"), KINESIS_OK);
  return config;
}

static void record_of(int i, char* key, size_t key_size, char* data, size_t data_size) {
  snprintf(key, key_size, "key-%d", i * 7919 % 10007);
  snprintf(data, data_size, "record-%d:%.*s", i, 40, "dddddddddddddddddddddddddddddddddddddddd");
}

static void put_many(kinesis_producer* producer, int n, kinesis_put_callback callback) {
  char key[32];
  char data[96];
  int i;
  for (i = 0; i < n; ++i) {
    record_of(i, key, sizeof(key), data, sizeof(data));
    CHECK_STATUS(kinesis_producer_put(producer, stream_, key, data, strlen(data), NULL, callback,
                                      (void*)(uintptr_t)i),
                 KINESIS_OK);
  }
}

/* Reads the stream back: every one of the n records is in it exactly once, with its key and
 * data, after deaggregation with kinesis_deaggregate. */
static void check_stream(int n) {
  char* json = sim_records(port_, stream_);
  const char* at;
  int* seen = (int*)calloc((size_t)n, sizeof(int));
  int i;
  CHECK(json != NULL);
  if (json == NULL || seen == NULL) {
    free(json);
    free(seen);
    return;
  }
  for (at = strstr(json, "\"PartitionKey\":\""); at != NULL;
       at = strstr(at, "\"PartitionKey\":\"")) {
    const char* key = at + strlen("\"PartitionKey\":\"");
    const char* key_end = strchr(key, '"');
    const char* data = key_end ? strstr(key_end, "\"Data\":\"") : NULL;
    const char* data_end;
    char outer_key[300];
    unsigned char* bytes;
    size_t size;
    kinesis_user_record* records = NULL;
    size_t count = 0;
    size_t r;
    if (data == NULL || (size_t)(key_end - key) >= sizeof(outer_key)) break;
    data += strlen("\"Data\":\"");
    data_end = strchr(data, '"');
    if (data_end == NULL) break;
    memcpy(outer_key, key, (size_t)(key_end - key));
    outer_key[key_end - key] = '\0';
    bytes = (unsigned char*)malloc((size_t)(data_end - data));
    size = sim_base64_decode(data, (size_t)(data_end - data), bytes);
    CHECK(size != (size_t)-1);
    CHECK_STATUS(kinesis_deaggregate(bytes, size, outer_key, NULL, &records, &count), KINESIS_OK);
    for (r = 0; r < count; ++r) {
      char expected_key[32];
      char expected_data[96];
      char text[96];
      int index = -1;
      size_t text_size =
          records[r].data_size < sizeof(text) ? records[r].data_size : sizeof(text) - 1;
      memcpy(text, records[r].data, text_size);
      text[text_size] = '\0';
      CHECK(records[r].sub_sequence_number == (records[r].aggregated ? r : 0));
      if (sscanf(text, "record-%d:", &index) != 1 || index < 0 || index >= n) {
        CHECK(!"a user record that was never put");
        continue;
      }
      ++seen[index];
      record_of(index, expected_key, sizeof(expected_key), expected_data, sizeof(expected_data));
      CHECK(records[r].partition_key_size == strlen(expected_key) &&
            memcmp(records[r].partition_key, expected_key, strlen(expected_key)) == 0);
      CHECK(records[r].data_size == strlen(expected_data) &&
            memcmp(records[r].data, expected_data, strlen(expected_data)) == 0);
    }
    kinesis_user_records_free(records);
    free(bytes);
    at = data_end;
  }
  for (i = 0; i < n; ++i) {
    if (seen[i] != 1) {
      fprintf(stderr, "record %d is %d times in the stream\n", i, seen[i]);
      ++check_failures_;
      break;
    }
  }
  free(seen);
  free(json);
}

static void new_stream(const char* name) {
  snprintf(stream_, sizeof(stream_), "capi-%s-%ld", name, (long)getpid());
  CHECK(sim_create_stream(port_, stream_, 4));
}

static void test_contract_with_callbacks(void) {
  kinesis_config* config = sim_config(port_);
  kinesis_producer* producer = NULL;
  char* metrics = NULL;
  new_stream("callbacks");
  tally_reset();
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config); /* the producer keeps its own copy */
  if (producer == NULL) return;
  put_many(producer, kRecords, on_result);
  CHECK_STATUS(kinesis_producer_flush(producer, NULL, 120000), KINESIS_OK);
  CHECK(check_exactly_one_result(kRecords) == kRecords);
  CHECK(kinesis_producer_outstanding(producer) == 0);
  check_stream(kRecords);
  CHECK_STATUS(kinesis_producer_metrics_json(producer, 60, &metrics), KINESIS_OK);
  CHECK(metrics != NULL && strstr(metrics, "\"UserRecordsPut\"") != NULL);
  kinesis_string_free(metrics);
  CHECK_STATUS(kinesis_producer_close(producer, 10000), KINESIS_OK);
  CHECK(check_exactly_one_result(kRecords) == kRecords); /* close added no result */
  kinesis_producer_free(producer);
}

static void test_contract_with_polling(void) {
  kinesis_config* config = sim_config(port_);
  kinesis_producer* producer = NULL;
  kinesis_result results[256];
  size_t got = 0;
  size_t n;
  new_stream("poll");
  tally_reset();
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config);
  if (producer == NULL) return;
  put_many(producer, kRecords, NULL);
  CHECK_STATUS(kinesis_producer_flush(producer, stream_, 120000), KINESIS_OK);
  /* After the flush every result is queued: polling without waiting gets them all. */
  while ((n = kinesis_producer_poll(producer, results, 256, 0)) > 0) {
    size_t i;
    for (i = 0; i < n; ++i) {
      CHECK(results[i].internal != NULL);
      tally_add(&results[i]);
    }
    kinesis_results_release(results, n);
    CHECK(results[0].internal == NULL);
    got += n;
  }
  CHECK(got == kRecords);
  CHECK(check_exactly_one_result(kRecords) == kRecords);
  check_stream(kRecords);
  CHECK(kinesis_producer_poll(producer, results, 256, 50) == 0);
  CHECK_STATUS(kinesis_producer_close(producer, 10000), KINESIS_OK);
  kinesis_producer_free(producer);
}

/* Records left without a result are freed with the producer: no leak under AddressSanitizer. */
static void test_free_with_results_not_polled(void) {
  kinesis_config* config = sim_config(port_);
  kinesis_producer* producer = NULL;
  new_stream("unpolled");
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config);
  put_many(producer, 100, NULL);
  kinesis_producer_free(producer);
}

/* A server that takes connections and never answers: records stay in flight. Returns the
 * listening socket and sets *port. */
static int silent_server(int* port) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address;
  socklen_t length = sizeof(address);
  memset(&address, 0, sizeof(address));
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(listener >= 0);
  CHECK(bind(listener, (struct sockaddr*)&address, sizeof(address)) == 0);
  CHECK(listen(listener, 64) == 0);
  CHECK(getsockname(listener, (struct sockaddr*)&address, &length) == 0);
  *port = ntohs(address.sin_port);
  return listener;
}

/* Records in flight to a server that never answers are failed by close with ProducerClosed. */
static void test_close_fails_what_is_in_flight(void) {
  int port = 0;
  int listener = silent_server(&port);
  kinesis_config* config = sim_config(port);
  kinesis_producer* producer = NULL;
  char key[32];
  char data[96];
  CHECK_STATUS(kinesis_config_set(config, "RequestTimeout", "60000"), KINESIS_OK);
  snprintf(stream_, sizeof(stream_), "silent");
  tally_reset();
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config);
  put_many(producer, 200, on_result);
  CHECK_STATUS(kinesis_producer_flush(producer, NULL, 200), KINESIS_DEADLINE_EXCEEDED);
  CHECK(kinesis_producer_close(producer, 300) != KINESIS_OK);
  CHECK(check_exactly_one_result(200) == 0);
  CHECK(strcmp(tally_.last_error_code, "ProducerClosed") == 0);
  /* Misuse after close: errors, no crash, no result. */
  record_of(0, key, sizeof(key), data, sizeof(data));
  CHECK_STATUS(
      kinesis_producer_put(producer, stream_, key, data, strlen(data), NULL, on_result, NULL),
      KINESIS_FAILED_PRECONDITION);
  CHECK(strstr(kinesis_last_error_message(), "closed") != NULL);
  CHECK_STATUS(kinesis_producer_close(producer, 300), KINESIS_FAILED_PRECONDITION);
  CHECK(check_exactly_one_result(200) == 0);
  kinesis_producer_free(producer);
  close(listener);
}

static void test_misuse_gives_errors(void) {
  kinesis_config* config = kinesis_config_new();
  kinesis_producer* producer = (kinesis_producer*)&producer; /* must be reset to NULL */
  kinesis_result result;
  kinesis_user_record* records = NULL;
  size_t count = 7;
  char* json = NULL;
  const unsigned char damaged[] = {0xF3, 0x89, 0x9A, 0xC2, 1,  2,  3,  4,  5,  6,  7,
                                   8,    9,    10,   11,   12, 13, 14, 15, 16, 17, 18};

  CHECK_STATUS(kinesis_config_set(NULL, "Region", "us-east-1"), KINESIS_INVALID_ARGUMENT);
  CHECK(strstr(kinesis_last_error_message(), "config is NULL") != NULL);
  CHECK(kinesis_last_error_code() == KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_config_set(config, NULL, "x"), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_config_set(config, "Region", NULL), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_config_set(config, "NoSuchSetting", "1"), KINESIS_INVALID_ARGUMENT);
  CHECK(strstr(kinesis_last_error_message(), "NoSuchSetting") != NULL);
  CHECK_STATUS(kinesis_config_set(config, "RecordTtl", "soon"), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_config_set(config, "RecordTtl", "60000"), KINESIS_OK);
  CHECK(kinesis_last_error_code() == KINESIS_OK && kinesis_last_error_message()[0] == '\0');
  CHECK_STATUS(kinesis_config_load_properties(config, "/nonexistent/kpl.properties"),
               KINESIS_NOT_FOUND);
  CHECK_STATUS(kinesis_config_load_properties(NULL, "x"), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_config_load_properties(config, NULL), KINESIS_INVALID_ARGUMENT);

  CHECK_STATUS(kinesis_producer_new(NULL, &producer), KINESIS_INVALID_ARGUMENT);
  CHECK(producer == NULL);
  CHECK_STATUS(kinesis_producer_new(config, NULL), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_put(NULL, "s", "k", "d", 1, NULL, NULL, NULL),
               KINESIS_INVALID_ARGUMENT);
  CHECK(kinesis_producer_poll(NULL, &result, 1, 0) == 0);
  CHECK(kinesis_last_error_code() == KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_flush(NULL, NULL, 10), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_close(NULL, 10), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_metrics_json(NULL, 60, &json), KINESIS_INVALID_ARGUMENT);
  CHECK(json == NULL);
  CHECK(kinesis_producer_outstanding(NULL) == 0);
  kinesis_producer_free(NULL);
  kinesis_config_free(NULL);
  kinesis_results_release(NULL, 3);
  kinesis_string_free(NULL);
  kinesis_user_records_free(NULL);

  CHECK_STATUS(kinesis_deaggregate(damaged, sizeof(damaged), "k", NULL, &records, &count),
               KINESIS_CORRUPTION);
  CHECK(records == NULL && count == 0);
  CHECK_STATUS(kinesis_deaggregate(NULL, 4, "k", NULL, &records, &count), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_deaggregate("abc", 3, NULL, NULL, &records, &count),
               KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_deaggregate("abc", 3, "k", "12", &records, &count), KINESIS_OK);
  CHECK(count == 1 && records != NULL);
  if (count == 1) {
    CHECK(records[0].aggregated == 0 && records[0].data_size == 3);
    CHECK(records[0].explicit_hash_key_size == 2);
  }
  kinesis_user_records_free(records);

  CHECK(strcmp(kinesis_status_name(KINESIS_DEADLINE_EXCEEDED), "DeadlineExceeded") == 0);
  CHECK(strcmp(kinesis_status_name((kinesis_status)99), "Unknown") == 0);
  CHECK(strlen(kinesis_version()) >= 5);
  kinesis_config_free(config);
}

/* A producer configured from a KPL .properties file; bad records are refused at put. */
static void test_properties_file_and_bad_records(void) {
  char path[] = "/tmp/capi-test-XXXXXX";
  int fd = mkstemp(path);
  FILE* f = fdopen(fd, "w");
  kinesis_config* config = kinesis_config_new();
  kinesis_producer* producer = NULL;
  char* json = NULL;
  char big[300];
  new_stream("props");
  fprintf(f,
          "# a KPL file\nRegion = us-east-1\nKinesisEndpoint = http://127.0.0.1:%d\n"
          "AwsAccessKeyId = AKIDCAPITEST\nAwsSecretKey = capi-test-secret\n"
          "RecordMaxBufferedTime = 20\nAggregationEnabled = false\n",
          port_);
  fclose(f);
  CHECK_STATUS(kinesis_config_load_properties(config, path), KINESIS_OK);
  unlink(path);
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config);
  if (producer == NULL) return;
  tally_reset();
  CHECK_STATUS(kinesis_producer_put(producer, stream_, "", "d", 1, NULL, on_result, NULL),
               KINESIS_INVALID_ARGUMENT);
  memset(big, 'k', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  CHECK(kinesis_producer_put(producer, stream_, big, "d", 1, NULL, on_result, NULL) != KINESIS_OK);
  CHECK_STATUS(
      kinesis_producer_put(producer, stream_, "k", "d", 1, "not-a-number", on_result, NULL),
      KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_put(producer, stream_, "k", NULL, 1, NULL, on_result, NULL),
               KINESIS_INVALID_ARGUMENT);
  put_many(producer, 500, on_result);
  CHECK_STATUS(kinesis_producer_flush(producer, NULL, 120000), KINESIS_OK);
  CHECK(check_exactly_one_result(500) == 500);
  check_stream(500);
  CHECK_STATUS(kinesis_producer_metrics_json(producer, 0, &json), KINESIS_OUT_OF_RANGE);
  CHECK_STATUS(kinesis_producer_close(producer, 10000), KINESIS_OK);
  kinesis_producer_free(producer);
}

/* A producer against a server that never answers, with a budget of `records` records and
 * PutTimeout `put_timeout`; the tally reset and the stream named "silent". */
static kinesis_producer* silent_producer(int port, const char* records, const char* put_timeout) {
  kinesis_config* config = sim_config(port);
  kinesis_producer* producer = NULL;
  CHECK_STATUS(kinesis_config_set(config, "RequestTimeout", "60000"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "BufferMaxRecords", records), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "PutTimeout", put_timeout), KINESIS_OK);
  snprintf(stream_, sizeof(stream_), "silent");
  tally_reset();
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config);
  return producer;
}

/* With the buffer budget full, kinesis_producer_try_put refuses at once and
 * kinesis_producer_put waits up to PutTimeout, then refuses. */
static void test_try_put_does_not_wait_for_room(void) {
  int port = 0;
  int listener = silent_server(&port);
  kinesis_producer* producer = silent_producer(port, "10", "50");
  int i;
  CHECK_STATUS(kinesis_producer_try_put(producer, stream_, "k", "d", 1, NULL, on_result,
                                        (void*)(uintptr_t)0),
               KINESIS_OK);
  CHECK_STATUS(kinesis_producer_try_put(NULL, stream_, "k", "d", 1, NULL, NULL, NULL),
               KINESIS_INVALID_ARGUMENT);
  for (i = 1; i < 10; ++i) {
    CHECK_STATUS(
        kinesis_producer_put(producer, stream_, "k", "d", 1, NULL, on_result, (void*)(uintptr_t)i),
        KINESIS_OK);
  }
  CHECK(kinesis_producer_outstanding(producer) == 10);
  /* Full: waits PutTimeout (50 ms) for room, then refuses. */
  CHECK_STATUS(kinesis_producer_put(producer, stream_, "k", "d", 1, NULL, on_result, NULL),
               KINESIS_RESOURCE_EXHAUSTED);
  CHECK_STATUS(kinesis_producer_try_put(producer, stream_, "k", "d", 1, NULL, on_result, NULL),
               KINESIS_RESOURCE_EXHAUSTED);
  CHECK(strstr(kinesis_last_error_message(), "QueueFull") != NULL);
  CHECK(kinesis_producer_close(producer, 100) != KINESIS_OK);
  CHECK(check_exactly_one_result(10) == 0);
  kinesis_producer_free(producer);
  close(listener);
}

static void sleep_ms(long ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&t, NULL);
}

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct {
  kinesis_producer* producer;
  kinesis_status status;
  char message[256];
  double returned_at;
} waiting_put;

static void* put_into_full_budget(void* arg) {
  waiting_put* put = (waiting_put*)arg;
  put->status = kinesis_producer_put(put->producer, "silent", "late", "d", 1, NULL, on_result,
                                     NULL);
  snprintf(put->message, sizeof(put->message), "%s", kinesis_last_error_message());
  put->returned_at = now_seconds();
  return NULL;
}

/* A put waiting for room in the buffer budget (PutTimeout two minutes) is woken by close at
 * once and refused with ProducerClosed, as a put after close is. */
static void test_close_wakes_a_put_waiting_for_room(void) {
  int port = 0;
  int listener = silent_server(&port);
  waiting_put put;
  pthread_t thread;
  double start;
  int i;
  memset(&put, 0, sizeof(put));
  put.producer = silent_producer(port, "10", "120000");
  for (i = 0; i < 10; ++i) {
    CHECK_STATUS(kinesis_producer_put(put.producer, stream_, "k", "d", 1, NULL, on_result,
                                      (void*)(uintptr_t)i),
                 KINESIS_OK);
  }
  pthread_create(&thread, NULL, put_into_full_budget, &put);
  sleep_ms(200); /* let it start waiting (if not, close refuses it at once all the same) */
  start = now_seconds();
  CHECK(kinesis_producer_close(put.producer, 2000) != KINESIS_OK);
  pthread_join(thread, NULL);
  CHECK_STATUS(put.status, KINESIS_FAILED_PRECONDITION);
  CHECK(strstr(put.message, "ProducerClosed") != NULL);
  CHECK(put.returned_at - start < 2.0); /* before close's deadline */
  CHECK(check_exactly_one_result(10) == 0);
  kinesis_producer_free(put.producer);
  close(listener);
}

typedef struct {
  kinesis_producer* producer;
  kinesis_status flushed, closed;
  char flush_message[256];
  double flush_took;
  volatile int done;
} from_callback;

static void flush_and_close(const kinesis_result* result, void* user_data) {
  from_callback* call = (from_callback*)user_data;
  double start = now_seconds();
  (void)result;
  call->flushed = kinesis_producer_flush(call->producer, NULL, 60000);
  snprintf(call->flush_message, sizeof(call->flush_message), "%s", kinesis_last_error_message());
  call->flush_took = now_seconds() - start;
  call->closed = kinesis_producer_close(call->producer, 1000);
  __atomic_store_n(&call->done, 1, __ATOMIC_RELEASE);
}

/* Flush and close from a callback would wait for the thread they run on: both are refused at
 * once, and the producer stays open. */
static void test_flush_and_close_from_a_callback_fail_at_once(void) {
  kinesis_config* config = sim_config(port_);
  from_callback call;
  double waited = 0;
  memset(&call, 0, sizeof(call));
  new_stream("from-callback");
  CHECK_STATUS(kinesis_producer_new(config, &call.producer), KINESIS_OK);
  kinesis_config_free(config);
  CHECK_STATUS(kinesis_producer_put(call.producer, stream_, "k", "d", 1, NULL, flush_and_close,
                                    &call),
               KINESIS_OK);
  while (!__atomic_load_n(&call.done, __ATOMIC_ACQUIRE) && waited < 60) {
    sleep_ms(10);
    waited += 0.01;
  }
  if (!__atomic_load_n(&call.done, __ATOMIC_ACQUIRE)) {
    fprintf(stderr, "FAILED: flush or close from a callback did not return in 60 s\n");
    _exit(1); /* the callback thread is stuck: freeing the producer would hang too */
  }
  CHECK_STATUS(call.flushed, KINESIS_FAILED_PRECONDITION);
  CHECK(strstr(call.flush_message, "callback") != NULL);
  CHECK(call.flush_took < 5.0);
  CHECK_STATUS(call.closed, KINESIS_FAILED_PRECONDITION);
  /* Still open: a put is taken and close from here succeeds. */
  CHECK_STATUS(kinesis_producer_put(call.producer, stream_, "k", "d", 1, NULL, NULL, NULL),
               KINESIS_OK);
  CHECK_STATUS(kinesis_producer_close(call.producer, 10000), KINESIS_OK);
  kinesis_producer_free(call.producer);
}

int main(void) {
  pthread_mutex_init(&tally_.mu, NULL);
  port_ = sim_port();
  if (port_ == 0) {
    fprintf(stderr, "no $KP_BACKEND_DIR/kinesis_sim.port: run through CTest\n");
    return 1;
  }
  RUN_TEST(test_misuse_gives_errors);
  RUN_TEST(test_contract_with_callbacks);
  RUN_TEST(test_contract_with_polling);
  RUN_TEST(test_free_with_results_not_polled);
  RUN_TEST(test_properties_file_and_bad_records);
  RUN_TEST(test_close_fails_what_is_in_flight);
  RUN_TEST(test_try_put_does_not_wait_for_room);
  RUN_TEST(test_close_wakes_a_put_waiting_for_room);
  RUN_TEST(test_flush_and_close_from_a_callback_fail_at_once);
  pthread_mutex_destroy(&tally_.mu);
  return FINISH();
}

/* The C API's monitoring, in C99, against kinesis-sim (CTest fixture kinesis_sim): application
 * metrics (counters, histograms, the cardinality limit and bad names as errors), the
 * application's log lines, the log, error and statistics callbacks (and the threads they run
 * on), and the effective configuration read back as JSON. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "kinesis/c/monitoring.h"
#include "kinesis/c/producer.h"
#include "sim_client.h"

static int port_;
static char stream_[64];

static kinesis_config* sim_config(void) {
  char endpoint[64];
  kinesis_config* config = kinesis_config_new();
  snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", port_);
  CHECK_STATUS(kinesis_config_set(config, "Region", "us-east-1"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "KinesisEndpoint", endpoint), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "AwsAccessKeyId", "AKIDCAPITEST"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "AwsSecretKey", "capi-test-secret"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "RecordMaxBufferedTime", "20"), KINESIS_OK);
  return config;
}

static void test_application_metrics(void) {
  kinesis_config* config = sim_config();
  kinesis_producer* producer = NULL;
  char* json = NULL;
  kinesis_dimension home[1] = {{"Page", "/home"}};
  kinesis_dimension other[1] = {{"Page", "/other"}};
  char long_name[300];
  CHECK_STATUS(kinesis_config_set(config, "AppMetricsMaxSeries", "2"), KINESIS_OK);
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config);
  if (producer == NULL) return;
  CHECK_STATUS(kinesis_producer_counter_add(producer, "ClickEvents", home, 1, 3), KINESIS_OK);
  CHECK_STATUS(kinesis_producer_counter_add(producer, "ClickEvents", home, 1, 2), KINESIS_OK);
  CHECK_STATUS(kinesis_producer_histogram_record(producer, "CheckoutTime", NULL, 0, NULL, 12.5),
               KINESIS_OK);
  /* A third distinct set is past AppMetricsMaxSeries=2. */
  CHECK_STATUS(kinesis_producer_counter_add(producer, "ClickEvents", other, 1, 1),
               KINESIS_RESOURCE_EXHAUSTED);
  CHECK(strstr(kinesis_last_error_message(), "AppMetricsMaxSeries is 2") != NULL);
  CHECK(strstr(kinesis_last_error_message(), "ClickEvents{Page=/other}") != NULL);
  memset(long_name, 'n', sizeof(long_name) - 1);
  long_name[sizeof(long_name) - 1] = '\0';
  CHECK_STATUS(kinesis_producer_counter_add(producer, long_name, NULL, 0, 1),
               KINESIS_INVALID_ARGUMENT);
  CHECK(strstr(kinesis_last_error_message(), "at most 255") != NULL);
  CHECK_STATUS(kinesis_producer_histogram_record(producer, "CheckoutTime", NULL, 0, NULL, -1),
               KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_histogram_record(producer, "Size", NULL, 0, "Parsecs", 1),
               KINESIS_INVALID_ARGUMENT);
  CHECK(strstr(kinesis_last_error_message(), "Parsecs") != NULL);
  CHECK_STATUS(kinesis_producer_counter_add(NULL, "ClickEvents", NULL, 0, 1),
               KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_counter_add(producer, "ClickEvents", NULL, 1, 1),
               KINESIS_INVALID_ARGUMENT); /* a count of dimensions without them */

  CHECK_STATUS(kinesis_producer_metrics_json(producer, 60, &json), KINESIS_OK);
  CHECK(json != NULL && strstr(json,
                               "{\"name\":\"ClickEvents\",\"dimensions\":{\"Page\":\"/home\"},"
                               "\"unit\":\"Count\",\"count\":2,\"sum\":5") != NULL);
  CHECK(json != NULL && strstr(json, "\"name\":\"CheckoutTime\"") != NULL);
  kinesis_string_free(json);
  CHECK_STATUS(kinesis_producer_close(producer, 10000), KINESIS_OK);
  kinesis_producer_free(producer);
}

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int app_lines;
  int app_line_on_caller;
  int config_warnings;
  int config_warning_errors;
  int stats_docs;
  int stats_with_records;
  int stats_on_caller;
  pthread_t caller;
} hooks;

static hooks hooks_;

static void on_log(kinesis_log_level level, const char* component, const char* message,
                   const char* line, void* opaque) {
  hooks* h = (hooks*)opaque;
  pthread_mutex_lock(&h->mu);
  if (strcmp(component, "app") == 0 && strcmp(message, "hello from C") == 0 &&
      level == KINESIS_LOG_INFO && strstr(line, "page=/cart") != NULL) {
    ++h->app_lines;
    if (pthread_equal(pthread_self(), h->caller)) ++h->app_line_on_caller;
  }
  if (strcmp(component, "config") == 0 && level == KINESIS_LOG_WARNING) ++h->config_warnings;
  pthread_mutex_unlock(&h->mu);
}

static void on_error(kinesis_log_level level, const char* component, const char* message,
                     const char* line, void* opaque) {
  hooks* h = (hooks*)opaque;
  (void)line;
  pthread_mutex_lock(&h->mu);
  if (strcmp(component, "config") == 0 && level == KINESIS_LOG_WARNING &&
      strstr(message, "ThreadPoolSize=4 has no effect") != NULL) {
    ++h->config_warning_errors;
  }
  pthread_mutex_unlock(&h->mu);
}

static void on_stats(const char* json, size_t size, void* opaque) {
  hooks* h = (hooks*)opaque;
  pthread_mutex_lock(&h->mu);
  ++h->stats_docs;
  if (strlen(json) == size && strstr(json, "\"UserRecordsPut\"") != NULL) ++h->stats_with_records;
  if (pthread_equal(pthread_self(), h->caller)) ++h->stats_on_caller;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

static void test_log_error_and_stats_callbacks(void) {
  kinesis_config* config = sim_config();
  kinesis_producer* producer = NULL;
  kinesis_dimension fields[1] = {{"page", "/cart"}};
  struct timespec until;
  int i, before;
  memset(&hooks_, 0, sizeof(hooks_));
  pthread_mutex_init(&hooks_.mu, NULL);
  pthread_cond_init(&hooks_.cv, NULL);
  hooks_.caller = pthread_self();
  snprintf(stream_, sizeof(stream_), "capi-hooks-%ld", (long)getpid());
  CHECK(sim_create_stream(port_, stream_, 1));
  CHECK_STATUS(kinesis_config_set(config, "ThreadPoolSize", "4"), KINESIS_OK); /* a warning */
  CHECK_STATUS(kinesis_config_set(config, "StatsInterval", "50"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set_log_callback(config, on_log, &hooks_), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set_error_callback(config, on_error, &hooks_), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set_stats_callback(config, on_stats, &hooks_), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set_log_callback(NULL, on_log, NULL), KINESIS_INVALID_ARGUMENT);
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config); /* the producer keeps the callbacks */
  if (producer == NULL) return;
  CHECK_STATUS(kinesis_producer_log(producer, KINESIS_LOG_INFO, "hello from C", fields, 1),
               KINESIS_OK);
  CHECK_STATUS(kinesis_producer_log(producer, (kinesis_log_level)7, "x", NULL, 0),
               KINESIS_INVALID_ARGUMENT);
  for (i = 0; i < 20; ++i) {
    char key[16];
    snprintf(key, sizeof(key), "k%d", i);
    CHECK_STATUS(kinesis_producer_put(producer, stream_, key, "d", 1, NULL, NULL, NULL),
                 KINESIS_OK);
  }
  CHECK_STATUS(kinesis_producer_flush(producer, NULL, 60000), KINESIS_OK);
  /* Documents keep coming every 50 ms; wait for two taken after the records' results. */
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 60;
  pthread_mutex_lock(&hooks_.mu);
  before = hooks_.stats_docs;
  while (hooks_.stats_docs < before + 2) {
    if (pthread_cond_timedwait(&hooks_.cv, &hooks_.mu, &until) != 0) break;
  }
  pthread_mutex_unlock(&hooks_.mu);
  CHECK_STATUS(kinesis_producer_close(producer, 10000), KINESIS_OK);
  kinesis_producer_free(producer);

  CHECK(hooks_.app_lines == 1);
  CHECK(hooks_.app_line_on_caller == 1); /* kinesis_producer_log: the caller's thread */
  CHECK(hooks_.config_warnings >= 1);
  CHECK(hooks_.config_warning_errors == 1);
  CHECK(hooks_.stats_docs >= before + 2);
  CHECK(hooks_.stats_with_records >= 1);
  CHECK(hooks_.stats_on_caller == 0); /* the statistics thread */
  pthread_cond_destroy(&hooks_.cv);
  pthread_mutex_destroy(&hooks_.mu);
}

static void test_effective_configuration(void) {
  kinesis_config* config = sim_config();
  kinesis_producer* producer = NULL;
  char* json = NULL;
  CHECK_STATUS(kinesis_config_set(config, "CollectionMaxSize", "20971520"), KINESIS_OK);
  CHECK_STATUS(kinesis_config_set(config, "MetricsLevel", "summary"), KINESIS_OK);
  CHECK_STATUS(kinesis_producer_new(config, &producer), KINESIS_OK);
  kinesis_config_free(config);
  if (producer == NULL) return;
  CHECK_STATUS(kinesis_producer_config_json(producer, &json), KINESIS_OK);
  CHECK(json != NULL && json[0] == '{');
  CHECK(json != NULL && strstr(json, "\"RecordMaxBufferedTime\":\"20\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"CollectionMaxSize\":\"10485760\"") != NULL); /* applied */
  CHECK(json != NULL && strstr(json, "\"MetricsLevel\":\"summary\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"AwsSecretKey\":\"<redacted>\"") != NULL);
  CHECK(json != NULL && strstr(json, "capi-test-secret") == NULL);
  kinesis_string_free(json);
  CHECK_STATUS(kinesis_producer_config_json(producer, NULL), KINESIS_INVALID_ARGUMENT);
  kinesis_producer_free(producer);
}

int main(void) {
  port_ = sim_port();
  if (port_ == 0) {
    fprintf(stderr, "no $KP_BACKEND_DIR/kinesis_sim.port: run through CTest\n");
    return 1;
  }
  RUN_TEST(test_application_metrics);
  RUN_TEST(test_log_error_and_stats_callbacks);
  RUN_TEST(test_effective_configuration);
  return FINISH();
}

/* Puts records into a Kinesis data stream with the C API and reports each one's result.
 *
 *   cc put.c $(pkg-config --cflags --libs kinesis-producer) -o put
 *   ./put STREAM [COUNT] [kpl.properties]
 *
 * Region, endpoint and credentials come from the properties file when given, else from the
 * environment (AWS_REGION, AWS_ENDPOINT_URL_KINESIS, AWS_ACCESS_KEY_ID, profiles, ...).
 * Exits 0 when every record was written. */
#include <kinesis/c/producer.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long written = 0;
static long failed = 0;

/* Runs on the producer's callback thread, once per record. */
static void on_result(const kinesis_result* result, void* user_data) {
  long index = (long)(size_t)user_data;
  pthread_mutex_lock(&mu);
  if (result->success) {
    ++written;
  } else {
    ++failed;
    fprintf(stderr, "record %ld failed: %s: %s\n", index, result->error_code,
            result->error_message);
  }
  pthread_mutex_unlock(&mu);
}

static int fail(const char* what) {
  fprintf(stderr, "%s: %s: %s\n", what, kinesis_status_name(kinesis_last_error_code()),
          kinesis_last_error_message());
  return 1;
}

int main(int argc, char** argv) {
  const char* stream;
  long count = 1000;
  long i;
  kinesis_config* config;
  kinesis_producer* producer = NULL;
  char* metrics = NULL;

  if (argc < 2) {
    fprintf(stderr, "usage: %s STREAM [COUNT] [kpl.properties]\n", argv[0]);
    return 2;
  }
  stream = argv[1];
  if (argc > 2) count = atol(argv[2]);

  config = kinesis_config_new();
  if (argc > 3 && kinesis_config_load_properties(config, argv[3]) != KINESIS_OK) {
    kinesis_config_free(config);
    return fail("properties");
  }
  kinesis_config_set(config, "RecordMaxBufferedTime", "50");
  if (kinesis_producer_new(config, &producer) != KINESIS_OK) {
    kinesis_config_free(config);
    return fail("producer");
  }
  kinesis_config_free(config); /* the producer has its own copy */

  for (i = 0; i < count; ++i) {
    char key[32];
    char data[64];
    snprintf(key, sizeof(key), "user-%ld", i % 97);
    snprintf(data, sizeof(data), "{\"event\": %ld}", i);
    /* data and key are copied: the buffers can be reused at once. */
    if (kinesis_producer_put(producer, stream, key, data, strlen(data), NULL, on_result,
                             (void*)(size_t)i) != KINESIS_OK) {
      fail("put");
      break;
    }
  }
  if (kinesis_producer_flush(producer, NULL, 60000) != KINESIS_OK) fail("flush");
  if (kinesis_producer_metrics_json(producer, 60, &metrics) == KINESIS_OK) {
    printf("metrics: %.120s...\n", metrics);
    kinesis_string_free(metrics);
  }
  kinesis_producer_close(producer, 10000);
  kinesis_producer_free(producer);

  printf("%ld written, %ld failed\n", written, failed);
  return written == count ? 0 : 1;
}

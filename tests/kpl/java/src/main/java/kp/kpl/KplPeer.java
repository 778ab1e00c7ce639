package kp.kpl;

import com.amazonaws.services.kinesis.producer.Attempt;
import com.amazonaws.services.kinesis.producer.KinesisProducer;
import com.amazonaws.services.kinesis.producer.KinesisProducerConfiguration;
import com.amazonaws.services.kinesis.producer.UserRecordFailedException;
import com.amazonaws.services.kinesis.producer.UserRecordResult;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench/compare peer for the AWS KPL's Java library (bench/compare/peers.py starts it),
 * written as a KPL user would: one thread calls addUserRecord for each record, waiting while
 * more than 50,000 are outstanding (as the KPL's README advises), a callback on each future
 * through Futures.addCallback; then flushSync. The clock starts after one record's result
 * (the native process started and knows the shards). KPL defaults except the endpoints, RateLimit
 * (--rate-limit, a percentage as the KPL takes it) and, with --native, NativeExecutable.
 *
 *   java kp.kpl.KplPeer --port P --sts-port P --ca-dir DIR --temp-dir DIR --stream S
 *        --records N --size B --keys-file FILE [--rate R] [--rate-limit PERCENT] [--native P]
 *
 * --keys-file holds the partition key of each record, a line each. Prints one JSON line:
 * acked, failed, retries, throttled, wall_s, records_per_s, MB_per_s, p50_ms, p99_ms (put to
 * callback, every 8th record), and from /proc just before destroy(): the Java process's and the
 * native child's peak RSS and CPU seconds.
 */
public final class KplPeer {
  private static final List<String> FLAGS = List.of("port", "sts-port", "ca-dir", "temp-dir",
      "stream", "records", "size", "keys-file", "rate", "rate-limit", "native");
  private static final int LATENCY_SAMPLE = 8;
  private static final int MAX_OUTSTANDING = 50_000;

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = KplSetup.parseFlags(args, FLAGS);
    int records = Integer.parseInt(KplSetup.required(flags, "records"));
    int size = Integer.parseInt(KplSetup.required(flags, "size"));
    double rate = Double.parseDouble(flags.getOrDefault("rate", "0"));
    String stream = KplSetup.required(flags, "stream");
    List<String> keys = Files.readAllLines(Path.of(KplSetup.required(flags, "keys-file")));
    if (keys.size() < records) {
      throw new IllegalArgumentException("--keys-file has " + keys.size() + " keys for "
          + records + " records");
    }
    byte[] data = new byte[size];
    Random random = new Random(1);
    for (int j = 0; j < size; j++) {
      data[j] = (byte) ('a' + random.nextInt(26));
    }

    KinesisProducerConfiguration config = KplSetup.producerConfig(
        Integer.parseInt(KplSetup.required(flags, "port")),
        Integer.parseInt(KplSetup.required(flags, "sts-port")),
        KplSetup.required(flags, "ca-dir"), KplSetup.required(flags, "temp-dir"),
        flags.get("native"));
    config.setRateLimit(Long.parseLong(flags.getOrDefault("rate-limit", "150")));
    KinesisProducer kinesis = new KinesisProducer(config);

    // One record first, its result awaited: the native process is up and knows the shards
    // before the clock starts (a long-running application pays that once).
    kinesis.addUserRecord(stream, "warm-up", ByteBuffer.wrap(data)).get(60, TimeUnit.SECONDS);

    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicLong throttled = new AtomicLong();
    long[] latencyNanos = new long[(records + LATENCY_SAMPLE - 1) / LATENCY_SAMPLE];
    CountDownLatch done = new CountDownLatch(records);
    long t0 = System.nanoTime();
    for (int i = 0; i < records; i++) {
      if (rate > 0) {
        long due = t0 + (long) (i / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      while (kinesis.getOutstandingRecordsCount() > MAX_OUTSTANDING) {
        Thread.sleep(1);
      }
      long start = System.nanoTime();
      int sample = i % LATENCY_SAMPLE == 0 ? i / LATENCY_SAMPLE : -1;
      ListenableFuture<UserRecordResult> f =
          kinesis.addUserRecord(stream, keys.get(i), ByteBuffer.wrap(data));
      Futures.addCallback(f, new FutureCallback<>() {
        @Override
        public void onSuccess(UserRecordResult result) {
          count(result, acked);
        }

        @Override
        public void onFailure(Throwable t) {
          if (t instanceof UserRecordFailedException e) {
            count(e.getResult(), failed);
          } else {
            failed.incrementAndGet();
            done.countDown();
          }
        }

        private void count(UserRecordResult result, AtomicLong outcome) {
          if (sample >= 0) {
            latencyNanos[sample] = System.nanoTime() - start;
          }
          List<Attempt> attempts = result.getAttempts();
          retries.addAndGet(Math.max(0, attempts.size() - 1));
          for (Attempt a : attempts) {
            if ("ProvisionedThroughputExceededException".equals(a.getErrorCode())) {
              throttled.incrementAndGet();
            }
          }
          outcome.incrementAndGet();
          done.countDown();
        }
      }, MoreExecutors.directExecutor());
    }
    kinesis.flushSync();
    done.await(120, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - t0) / 1e9;
    KplSetup.ProcessUsage java = KplSetup.self();
    Optional<ProcessHandle> nativeProcess = KplSetup.nativeChild();
    Optional<KplSetup.ProcessUsage> child =
        nativeProcess.flatMap(p -> KplSetup.usage(p.pid()));
    kinesis.destroy();
    KplSetup.awaitExit(nativeProcess);  // reaped: its CPU time counts in this process's

    long[] sorted = Arrays.stream(latencyNanos).filter(v -> v > 0).sorted().toArray();
    System.out.printf("{\"records\": %d, \"size\": %d, \"rate\": %s, \"acked\": %d, "
        + "\"failed\": %d, \"retries\": %d, \"throttled\": %d, \"wall_s\": %.4f, "
        + "\"records_per_s\": %.1f, \"MB_per_s\": %.3f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
        + "\"java_peak_rss_MB\": %.1f, \"java_cpu_s\": %.2f, \"child_peak_rss_MB\": %.1f, "
        + "\"child_cpu_s\": %.2f}%n", records, size, rate, acked.get(),
        records - acked.get(), retries.get(), throttled.get(), wall, acked.get() / wall,
        acked.get() * (double) size / wall / 1e6, percentile(sorted, 0.5),
        percentile(sorted, 0.99), java.peakRssMb(), java.cpuSeconds(),
        child.map(KplSetup.ProcessUsage::peakRssMb).orElse(0.0),
        child.map(KplSetup.ProcessUsage::cpuSeconds).orElse(0.0));
    System.exit(0);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }
}

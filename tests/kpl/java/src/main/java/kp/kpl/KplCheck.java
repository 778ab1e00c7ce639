package kp.kpl;

import com.amazonaws.services.kinesis.producer.Attempt;
import com.amazonaws.services.kinesis.producer.KinesisProducer;
import com.amazonaws.services.kinesis.producer.Metric;
import com.amazonaws.services.kinesis.producer.UserRecordFailedException;
import com.amazonaws.services.kinesis.producer.UserRecordResult;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The KPL's own Java library against kinesis-sim over HTTPS, used as its README shows: records
 * put with addUserRecord (a ListenableFuture each, a callback through Futures.addCallback),
 * some with explicit hash keys, several streams, flush of one stream and of all, flushSync,
 * getMetrics, destroy. Then every stream is read back and deaggregated, and each record checked:
 * it arrived with exactly the data, partition key and stream it was put with, at the shard and
 * sequence number its future reported, on a shard whose hash key range holds its explicit hash
 * key or its partition key's MD5; each callback ran exactly once. Copies past the first
 * are counted apart: a retry after an answer was lost writes a record again, as the service
 * would. Exits 0 when every check holds, 1 otherwise, and prints a summary either way.
 *
 *   java kp.kpl.KplCheck --port P --sts-port P --ca-dir DIR --temp-dir DIR --streams a,b,c --records N
 *        [--native PROGRAM] [--label NAME]
 */
public final class KplCheck {
  private static final List<String> FLAGS =
      List.of("port", "sts-port", "ca-dir", "temp-dir", "streams", "records", "native", "label");
  private static final long WAIT_SECONDS = 120;

  private final String[] streams;
  private final int count;
  private final AtomicIntegerArray callbacks;
  private final String[] shardOf;
  private final String[] sequenceOf;
  private final String[] failureOf;
  private final CountDownLatch done;
  private final AtomicLong failedAttempts = new AtomicLong();
  private final Map<String, AtomicLong> failedAttemptsByCode = new ConcurrentHashMap<>();

  private KplCheck(String[] streams, int count) {
    this.streams = streams;
    this.count = count;
    callbacks = new AtomicIntegerArray(count);
    shardOf = new String[count];
    sequenceOf = new String[count];
    failureOf = new String[count];
    done = new CountDownLatch(count);
  }

  // Record i: its stream, partition key, explicit hash key (every fourth) and data. The data
  // starts with "i=<i>;" and goes on with bytes drawn from a generator seeded with i: most are
  // 20-720 bytes, every 997th 30,000 (a large member of an aggregate), every 4,999th 100,000
  // (more than an aggregate holds: sent on its own).
  String streamOf(int i) {
    return streams[i % streams.length];
  }

  static String partitionKeyOf(int i) {
    return "user-" + (i * 7919L % 5000);
  }

  static String explicitHashKeyOf(int i) {
    if (i % 4 != 0) {
      return null;
    }
    return new BigInteger(128, new Random(i * 31L + 7)).toString();
  }

  /** Where record i belongs: its explicit hash key, else the MD5 of its partition key. */
  static BigInteger hashKeyOf(int i) throws NoSuchAlgorithmException {
    String ehk = explicitHashKeyOf(i);
    if (ehk != null) {
      return new BigInteger(ehk);
    }
    return new BigInteger(1, MessageDigest.getInstance("MD5")
        .digest(partitionKeyOf(i).getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] dataOf(int i) {
    int size = i % 4999 == 0 ? 100_000 : i % 997 == 0 ? 30_000 : 20 + (int) (i * 37L % 701);
    byte[] head = ("i=" + i + ";").getBytes(StandardCharsets.US_ASCII);
    byte[] data = new byte[Math.max(size, head.length)];
    SplittableRandom random = new SplittableRandom(i);
    for (int j = 0; j < data.length; j++) {
      data[j] = (byte) random.nextInt(256);
    }
    System.arraycopy(head, 0, data, 0, head.length);
    return data;
  }

  /** The record index at the start of the data, or -1. */
  static int indexIn(byte[] data) {
    int end = 0;
    while (end < data.length && end < 12 && data[end] != ';') {
      end++;
    }
    if (end >= data.length || data[end] != ';' || end < 3 || data[0] != 'i' || data[1] != '=') {
      return -1;
    }
    try {
      return Integer.parseInt(new String(data, 2, end - 2, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void noteAttempts(List<Attempt> attempts) {
    for (Attempt a : attempts) {
      if (!a.isSuccessful()) {
        failedAttempts.incrementAndGet();
        failedAttemptsByCode.computeIfAbsent(String.valueOf(a.getErrorCode()),
            k -> new AtomicLong()).incrementAndGet();
      }
    }
  }

  private FutureCallback<UserRecordResult> callbackFor(int i) {
    return new FutureCallback<>() {
      @Override
      public void onSuccess(UserRecordResult result) {
        shardOf[i] = result.getShardId();
        sequenceOf[i] = result.getSequenceNumber();
        noteAttempts(result.getAttempts());
        callbacks.incrementAndGet(i);
        done.countDown();
      }

      @Override
      public void onFailure(Throwable t) {
        String why = t.toString();
        if (t instanceof UserRecordFailedException failed) {
          List<Attempt> attempts = failed.getResult().getAttempts();
          noteAttempts(attempts);
          Attempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
          why = last == null ? "no attempt" : last.getErrorCode() + ": " + last.getErrorMessage();
        }
        failureOf[i] = why;
        callbacks.incrementAndGet(i);
        done.countDown();
      }
    };
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = KplSetup.parseFlags(args, FLAGS);
    int port = Integer.parseInt(KplSetup.required(flags, "port"));
    int stsPort = Integer.parseInt(KplSetup.required(flags, "sts-port"));
    String caDir = KplSetup.required(flags, "ca-dir");
    String[] streams = KplSetup.required(flags, "streams").split(",");
    int count = Integer.parseInt(KplSetup.required(flags, "records"));
    if (count < 1 || count > 10_000_000) {
      throw new IllegalArgumentException("--records " + count + " is outside 1..10000000");
    }
    String label = flags.getOrDefault("label", "kpl");
    KplCheck check = new KplCheck(streams, count);
    boolean ok = check.run(label, port, stsPort, caDir, KplSetup.required(flags, "temp-dir"),
        flags.get("native"));
    System.out.println(label + ": " + (ok ? "PASS" : "FAIL"));
    System.exit(ok ? 0 : 1);
  }

  private boolean run(String label, int port, int stsPort, String caDir, String tempDir,
      String nativeExe) throws Exception {
    List<String> problems = new ArrayList<>();
    KinesisProducer kinesis =
        new KinesisProducer(KplSetup.producerConfig(port, stsPort, caDir, tempDir, nativeExe));
    ExecutorService callbackThreadPool = Executors.newFixedThreadPool(2);
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      // Bounded memory, as the KPL's README advises: wait while too many are outstanding.
      while (kinesis.getOutstandingRecordsCount() > 20_000) {
        Thread.sleep(1);
      }
      String ehk = explicitHashKeyOf(i);
      ByteBuffer data = ByteBuffer.wrap(dataOf(i));
      ListenableFuture<UserRecordResult> f = ehk == null
          ? kinesis.addUserRecord(streamOf(i), partitionKeyOf(i), data)
          : kinesis.addUserRecord(streamOf(i), partitionKeyOf(i), ehk, data);
      Futures.addCallback(f, callbackFor(i), callbackThreadPool);
      if (i == count / 3) {
        kinesis.flush(streams[0]);
      } else if (i == 2 * count / 3) {
        kinesis.flush();
      }
    }
    kinesis.flushSync();
    boolean allDone = done.await(WAIT_SECONDS, TimeUnit.SECONDS);
    double putSeconds = (System.nanoTime() - t0) / 1e9;
    if (!allDone) {
      problems.add(done.getCount() + " callbacks had not run " + WAIT_SECONDS
          + " s after flushSync returned");
    }
    printMetrics(kinesis.getMetrics(), problems);
    KplSetup.ProcessUsage java = KplSetup.self();
    Optional<ProcessHandle> nativeProcess = KplSetup.nativeChild();
    Optional<KplSetup.ProcessUsage> child =
        nativeProcess.flatMap(p -> KplSetup.usage(p.pid()));
    if (nativeProcess.isEmpty()) {
      problems.add("no native child process was running before destroy()");
    }
    kinesis.destroy();
    if (!KplSetup.awaitExit(nativeProcess)) {
      problems.add("the native child (pid " + nativeProcess.get().pid()
          + ") had not exited 10 s after destroy()");
    }
    callbackThreadPool.shutdown();

    ReadBack reader = new ReadBack(port, KplSetup.simTrust(caDir));
    String simCounters = reader.counters();
    reader.clearFaults();
    Verdict v = verify(reader, problems);
    reader.close();

    System.out.printf("%s: %d records into %d streams in %.2f s: %.0f records/s%n", label, count,
        streams.length, putSeconds, count / putSeconds);
    System.out.printf("%s: read back: %d once, %d duplicate copies (%d records), %d missing, "
        + "%d altered or misplaced, %d on a shard whose hash key range does not hold them%n",
        label, v.once, v.duplicateCopies, v.duplicated, v.missing, v.altered, v.misrouted);
    System.out.printf("%s: futures: %d succeeded, %d failed, %d callbacks not exactly once; "
        + "failed attempts %d %s%n", label, v.succeeded, v.failed, v.badCallbacks,
        failedAttempts.get(), new TreeMap<>(failedAttemptsByCode));
    System.out.printf("%s: java pid %d peak RSS %.1f MB CPU %.2f s; native child %s%n", label,
        java.pid(), java.peakRssMb(), java.cpuSeconds(), child.map(c -> String.format(
            "pid %d peak RSS %.1f MB CPU %.2f s", c.pid(), c.peakRssMb(), c.cpuSeconds()))
            .orElse("not found"));
    System.out.println(label + ": sim counters " + simCounters.trim());
    for (String p : problems.subList(0, Math.min(problems.size(), 40))) {
      System.out.println(label + ": FAIL " + p);
    }
    return problems.isEmpty();
  }

  /** Counts from the read-back. */
  private static final class Verdict {
    long once;
    long duplicated;
    long duplicateCopies;
    long missing;
    long altered;
    long misrouted;
    long succeeded;
    long failed;
    long badCallbacks;
  }

  private Verdict verify(ReadBack reader, List<String> problems)
      throws NoSuchAlgorithmException {
    Verdict v = new Verdict();
    int[] seen = new int[count];
    boolean[] atReportedPlace = new boolean[count];
    for (String stream : streams) {
      for (ReadBack.Read read : reader.readStream(stream)) {
        byte[] data = new byte[read.record().getData().remaining()];
        read.record().getData().get(data);
        int i = indexIn(data);
        String where = stream + "/" + read.shardId() + "/" + read.record().getSequenceNumber()
            + "/" + read.record().getSubSequenceNumber();
        if (i < 0 || i >= count) {
          v.altered++;
          problems.add("unknown record at " + where);
          continue;
        }
        String ehk = explicitHashKeyOf(i);
        String readEhk = read.record().getExplicitHashKey();
        if (!stream.equals(streamOf(i)) || !Arrays.equals(data, dataOf(i))
            || !partitionKeyOf(i).equals(read.record().getPartitionKey())
            || (readEhk != null && !readEhk.equals(ehk))) {
          v.altered++;
          problems.add("record " + i + " altered at " + where);
          continue;
        }
        BigInteger hash = hashKeyOf(i);
        if (hash.compareTo(read.startingHashKey()) < 0
            || hash.compareTo(read.endingHashKey()) > 0) {
          v.misrouted++;
          problems.add("record " + i + " (hash key " + hash + ") read from " + where
              + ", whose range is " + read.startingHashKey() + ".." + read.endingHashKey());
        }
        seen[i]++;
        if (read.shardId().equals(shardOf[i])
            && read.record().getSequenceNumber().equals(sequenceOf[i])) {
          atReportedPlace[i] = true;
        }
      }
    }
    for (int i = 0; i < count; i++) {
      int calls = callbacks.get(i);
      if (calls != 1) {
        v.badCallbacks++;
        problems.add("record " + i + ": its callback ran " + calls + " times");
      }
      if (failureOf[i] != null) {
        v.failed++;
        problems.add("record " + i + " failed: " + failureOf[i]);
      } else if (calls > 0) {
        v.succeeded++;
        if (shardOf[i] == null || shardOf[i].isEmpty() || sequenceOf[i] == null
            || sequenceOf[i].isEmpty()) {
          problems.add("record " + i + ": its result has no shard id or sequence number");
        } else if (seen[i] > 0 && !atReportedPlace[i]) {
          problems.add("record " + i + ": read back, but not at " + shardOf[i] + " / "
              + sequenceOf[i] + " as its result said");
        }
      }
      if (seen[i] == 0) {
        v.missing++;
        problems.add("record " + i + " (" + streamOf(i) + ") was not read back");
      } else {
        v.once++;
        if (seen[i] > 1) {
          v.duplicated++;
          v.duplicateCopies += seen[i] - 1;
        }
      }
    }
    return v;
  }

  /** Prints the KPL's own figures of the whole run; checks that it counts every record put. */
  private void printMetrics(List<Metric> metrics, List<String> problems) {
    for (Metric m : metrics) {
      if (!m.getDimensions().isEmpty()) {
        continue;  // the totals only; per stream and per shard are there too
      }
      System.out.printf("  KPL metric %-32s sum %12.0f  mean %10.2f  max %10.0f%n", m.getName(),
          m.getSum(), m.getMean(), m.getMax());
      if (m.getName().equals("UserRecordsPut") && (long) m.getSum() != count) {
        problems.add("getMetrics: UserRecordsPut " + (long) m.getSum() + ", " + count + " put");
      }
    }
  }
}

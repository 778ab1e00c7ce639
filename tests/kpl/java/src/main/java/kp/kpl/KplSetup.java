package kp.kpl;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.services.kinesis.producer.KinesisProducerConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the KPL test and the KPL bench peer share: their command-line flags, the KPL's
 * configuration pointed at a local kinesis-sim over HTTPS, the sim's CA as a Java trust store,
 * and peak memory and CPU time read from /proc (for the Java process and the KPL's native child).
 */
final class KplSetup {
  static final String REGION = "us-east-1";
  static final String ACCESS_KEY = "AKIDKPLTEST";
  static final String SECRET_KEY = "kpl-test-secret";

  private KplSetup() {}

  /** "--name value" pairs; every flag takes a value. */
  static Map<String, String> parseFlags(String[] args, List<String> known) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.startsWith("--") || !known.contains(name.substring(2))) {
        throw new IllegalArgumentException("unknown flag '" + name + "'; flags: " + known);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("flag " + name + " needs a value");
      }
      flags.put(name.substring(2), args[i + 1]);
    }
    return flags;
  }

  static String required(Map<String, String> flags, String name) {
    String value = flags.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  /**
   * The KPL's configuration as its README shows it, for a kinesis-sim at 127.0.0.1:port over
   * HTTPS. The sim's CA is the only one trusted (caDir holds it under its OpenSSL hash name).
   * STS (the KPL asks it for the account: GetCallerIdentity) is the stub beside the sim, at
   * stsPort. CloudWatch points at the sim, so nothing leaves the machine: the sim refuses
   * metric uploads, and there is none within MetricsUploadDelay (60 s) of a short run anyway.
   * nativeExecutable: null for the binary bundled in the KPL's jar, else the program to start.
   */
  static KinesisProducerConfiguration producerConfig(
      int port, int stsPort, String caDir, String tempDir, String nativeExecutable) {
    KinesisProducerConfiguration config = new KinesisProducerConfiguration()
        .setRegion(REGION)
        .setKinesisEndpoint("127.0.0.1")
        .setKinesisPort(port)
        .setCloudwatchEndpoint("127.0.0.1")
        .setCloudwatchPort(port)
        .setStsEndpoint("127.0.0.1")
        .setStsPort(stsPort)
        .setVerifyCertificate(true)
        .setCaCertPath(caDir)
        .setCredentialsProvider(
            new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
        .setMetricsLevel("detailed")
        .setMetricsUploadDelay(60000)
        .setTempDirectory(tempDir)
        .setLogLevel(System.getProperty("kp.kpl.logLevel", "error"));
    if (nativeExecutable != null && !nativeExecutable.isEmpty()) {
      config.setNativeExecutable(nativeExecutable);
    }
    return config;
  }

  /** An SSL context that trusts the sim's CA (caDir/ca.pem) and nothing else. */
  static SSLContext simTrust(String caDir) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(Path.of(caDir, "ca.pem"))) {
      store.setCertificateEntry("kinesis-sim", CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** Peak resident memory (VmHWM) and CPU seconds (user + system) of one process. */
  record ProcessUsage(long pid, long peakRssKb, double cpuSeconds) {
    double peakRssMb() {
      return peakRssKb / 1024.0;
    }
  }

  /** Reads /proc/PID; empty when the process is gone. */
  static Optional<ProcessUsage> usage(long pid) {
    try {
      long hwm = 0;
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 1/100 s on Linux.
      double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
      return Optional.of(new ProcessUsage(pid, hwm, cpu));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static ProcessUsage self() {
    return usage(ProcessHandle.current().pid()).orElseThrow();
  }

  /** The KPL's native child (bundled binary or NativeExecutable): this process's only child. */
  static Optional<ProcessHandle> nativeChild() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).findFirst();
  }

  /**
   * Waits until the native child has exited (destroy() stops it) and this JVM has reaped it,
   * so that its CPU time counts in this process's (wait4, getrusage). False after 10 s.
   */
  static boolean awaitExit(Optional<ProcessHandle> child) {
    if (child.isEmpty()) {
      return true;
    }
    try {
      child.get().onExit().get(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}

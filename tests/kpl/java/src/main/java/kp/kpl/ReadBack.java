package kp.kpl;

import com.amazonaws.ClientConfiguration;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.kinesis.AmazonKinesis;
import com.amazonaws.services.kinesis.AmazonKinesisClientBuilder;
import com.amazonaws.services.kinesis.clientlibrary.types.UserRecord;
import com.amazonaws.services.kinesis.model.GetRecordsRequest;
import com.amazonaws.services.kinesis.model.GetRecordsResult;
import com.amazonaws.services.kinesis.model.ListShardsRequest;
import com.amazonaws.services.kinesis.model.ListShardsResult;
import com.amazonaws.services.kinesis.model.Record;
import com.amazonaws.services.kinesis.model.Shard;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;

/**
 * Reads streams back from the sim with the AWS SDK for Java v1 (GetShardIterator TRIM_HORIZON,
 * GetRecords until a shard has nothing more) and deaggregates them with the KCL 1.x
 * (UserRecord.deaggregate), the reader side of the KPL's aggregation. Over HTTPS, trusting the
 * sim's CA; JSON, since the sim reads CBOR for PutRecords and PutRecord only.
 */
final class ReadBack {
  /** One user record as read: the shard it was read from (and its hash key range). */
  record Read(String shardId, BigInteger startingHashKey, BigInteger endingHashKey,
      UserRecord record) {}

  private final AmazonKinesis kinesis;
  private final HttpClient control;
  private final URI base;

  ReadBack(int port, SSLContext trust) {
    System.setProperty("com.amazonaws.sdk.disableCbor", "true");
    ClientConfiguration client = new ClientConfiguration().withMaxErrorRetry(10);
    client.getApacheHttpClientConfig().setSslSocketFactory(
        new SSLConnectionSocketFactory(trust, new DefaultHostnameVerifier()));
    base = URI.create("https://127.0.0.1:" + port);
    kinesis = AmazonKinesisClientBuilder.standard()
        .withEndpointConfiguration(new EndpointConfiguration(base.toString(), KplSetup.REGION))
        .withCredentials(new AWSStaticCredentialsProvider(
            new BasicAWSCredentials(KplSetup.ACCESS_KEY, KplSetup.SECRET_KEY)))
        .withClientConfiguration(client)
        .build();
    control = HttpClient.newBuilder().sslContext(trust).build();
  }

  /** The sim's control API: POST /_sim/faults/clear (no faults from now on). */
  void clearFaults() throws Exception {
    HttpResponse<String> answer = control.send(
        HttpRequest.newBuilder(base.resolve("/_sim/faults/clear"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("POST /_sim/faults/clear answered " + answer.statusCode()
          + ": " + answer.body());
    }
  }

  /** The sim's counters (GET /_sim/counters), as the JSON it answers. */
  String counters() throws Exception {
    return control.send(HttpRequest.newBuilder(base.resolve("/_sim/counters")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Every user record of the stream, shard by shard, in each shard's order. */
  List<Read> readStream(String stream) {
    List<Read> out = new ArrayList<>();
    List<Shard> shards = new ArrayList<>();
    ListShardsResult page = kinesis.listShards(new ListShardsRequest().withStreamName(stream));
    shards.addAll(page.getShards());
    while (page.getNextToken() != null) {
      page = kinesis.listShards(new ListShardsRequest().withNextToken(page.getNextToken()));
      shards.addAll(page.getShards());
    }
    for (Shard shard : shards) {
      BigInteger start = new BigInteger(shard.getHashKeyRange().getStartingHashKey());
      BigInteger end = new BigInteger(shard.getHashKeyRange().getEndingHashKey());
      String iterator = kinesis.getShardIterator(stream, shard.getShardId(), "TRIM_HORIZON")
          .getShardIterator();
      while (iterator != null) {
        GetRecordsResult result = kinesis.getRecords(
            new GetRecordsRequest().withShardIterator(iterator).withLimit(10000));
        List<Record> records = result.getRecords();
        if (records.isEmpty()) {
          break;
        }
        for (UserRecord r : UserRecord.deaggregate(records)) {
          out.add(new Read(shard.getShardId(), start, end, r));
        }
        iterator = result.getNextShardIterator();
      }
    }
    return out;
  }

  void close() {
    kinesis.shutdown();
  }
}

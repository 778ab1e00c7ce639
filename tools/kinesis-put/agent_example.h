// Test data: the example agent.json of the Kinesis Agent's repository
// (configuration/example/agent.json), as it is, for the tests of --agent-config.
#ifndef KINESIS_PUT_AGENT_EXAMPLE_H_
#define KINESIS_PUT_AGENT_EXAMPLE_H_

namespace kinesis::put {

inline constexpr char kAgentExampleJson[] = R"({
  "checkpointFile": "/tmp/aws-kinesis-agent-checkpoints/main.log",
  "cloudwatch.emitMetrics": true,
  "cloudwatch.endpoint": "https://monitoring.us-west-2.amazonaws.com",
  "kinesis.endpoint": "https://kinesis.us-west-2.amazonaws.com",
  "awsAccessKeyId": "ACCESSKEY",
  "awsSecretAccessKey": "SECRETKEY",
  "userDefinedCredentialsProvider.classname":"com.amazonaws.samples.NewCustomCredentialsProvider",
  "userDefinedCredentialsProvider.location":"/home/ec2-user/NewCustomCredentialsProvider.jar",
  "flows": [
    {
      "filePattern": "/tmp/aws-kinesis-agent-test1.log*",
      "initialPosition": "END_OF_FILE",
      "kinesisStream": "aws-kinesis-agent-test1",
      "dataProcessingOptions": [
        {
          "optionName": "CSVTOJSON",
          "customFieldNames": [ "field1", "field2", "field3" ],
          "delimiter": "\\t"
        }
      ]
    },
    {
      "filePattern": "/tmp/aws-kinesis-agent-test2.log*",
      "initialPosition": "START_OF_FILE",
      "kinesisStream": "aws-kinesis-agent-test2",
      "dataProcessingOptions": [
        {
          "optionName": "LOGTOJSON",
          "logFormat": "COMMONAPACHELOG"
        }
      ]
    }
  ]
})";

}  // namespace kinesis::put

#endif  // KINESIS_PUT_AGENT_EXAMPLE_H_

package dev.sluice.job.preflight;

import dev.sluice.job.config.SourceOptions;

import org.apache.flink.kinesis.shaded.com.amazonaws.AmazonServiceException;
import org.apache.flink.kinesis.shaded.com.amazonaws.ClientConfiguration;
import org.apache.flink.kinesis.shaded.com.amazonaws.SdkClientException;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.AmazonKinesis;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.DescribeStreamSummaryRequest;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.ListShardsRequest;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.ResourceNotFoundException;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.Shard;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.StreamDescriptionSummary;
import org.apache.flink.streaming.connectors.kinesis.util.AWSUtil;

import java.util.List;
import java.util.Properties;

/**
 * Whether the stream exists and can be read: {@code DescribeStreamSummary}, {@code ListShards} and
 * a {@code GetShardIterator} on its first shard, through a client the Kinesis connector builds from
 * the same {@code KinesisSource} properties ({@code AWSUtil.createKinesisClient}), so region,
 * endpoint and credentials provider are exactly the source's. Enhanced fan-out's extra calls
 * (RegisterStreamConsumer, SubscribeToShard) are not tried.
 */
final class StreamCheck {

    /** Fail within seconds, not after the SDK's default retries. */
    private static final int MAX_ERROR_RETRIES = 1;

    private static final int TIMEOUT_MS = 10_000;

    private StreamCheck() {}

    static CheckResult check(String stream, Properties consumerProperties) {
        ClientConfiguration client =
                new ClientConfiguration()
                        .withMaxErrorRetry(MAX_ERROR_RETRIES)
                        .withConnectionTimeout(TIMEOUT_MS)
                        .withSocketTimeout(TIMEOUT_MS);
        AmazonKinesis kinesis;
        try {
            kinesis = AWSUtil.createKinesisClient(consumerProperties, client);
        } catch (RuntimeException e) {
            return CheckResult.fail(
                    SourceOptions.GROUP,
                    "aws.credentials.provider",
                    "cannot build a Kinesis client: " + e.getMessage(),
                    "check the aws.* keys of " + SourceOptions.GROUP);
        }
        String operation = "DescribeStreamSummary";
        try {
            StreamDescriptionSummary summary =
                    kinesis.describeStreamSummary(
                                    new DescribeStreamSummaryRequest().withStreamName(stream))
                            .getStreamDescriptionSummary();
            operation = "ListShards";
            List<Shard> shards =
                    kinesis.listShards(new ListShardsRequest().withStreamName(stream)).getShards();
            if (shards.isEmpty()) {
                return CheckResult.fail(
                        SourceOptions.GROUP,
                        SourceOptions.STREAM_NAME.key(),
                        "stream '" + stream + "' lists no shards",
                        "wait until it is ACTIVE");
            }
            operation = "GetShardIterator";
            kinesis.getShardIterator(stream, shards.get(0).getShardId(), "LATEST");
            return CheckResult.ok(
                    "stream '"
                            + stream
                            + "' is "
                            + summary.getStreamStatus()
                            + " with "
                            + summary.getOpenShardCount()
                            + " open shard(s) and can be read");
        } catch (ResourceNotFoundException e) {
            return CheckResult.fail(
                    SourceOptions.GROUP,
                    SourceOptions.STREAM_NAME.key(),
                    "stream '" + stream + "' does not exist (" + region(consumerProperties) + ")",
                    "create it, or fix the stream name or aws.region");
        } catch (AmazonServiceException e) {
            return CheckResult.fail(
                    SourceOptions.GROUP,
                    "aws.credentials.provider",
                    "Kinesis refused "
                            + operation
                            + " on stream '"
                            + stream
                            + "' ("
                            + e.getErrorCode()
                            + ", HTTP "
                            + e.getStatusCode()
                            + ")",
                    "give the job's credentials kinesis:DescribeStreamSummary, ListShards,"
                            + " GetShardIterator and GetRecords on the stream");
        } catch (SdkClientException e) {
            return CheckResult.fail(
                    SourceOptions.GROUP,
                    consumerProperties.containsKey("aws.endpoint") ? "aws.endpoint" : "aws.region",
                    "cannot reach Kinesis for " + operation + ": " + e.getMessage(),
                    "check the endpoint or region and the network path to it");
        } finally {
            kinesis.shutdown();
        }
    }

    private static String region(Properties properties) {
        String endpoint = properties.getProperty("aws.endpoint");
        String region = properties.getProperty("aws.region");
        return endpoint != null
                ? "endpoint " + endpoint
                : "region " + (region == null ? "(default)" : region);
    }
}

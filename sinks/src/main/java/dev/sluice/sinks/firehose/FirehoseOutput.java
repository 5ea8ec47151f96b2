package dev.sluice.sinks.firehose;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.connector.aws.util.AWSGeneralUtil;
import org.apache.flink.connector.firehose.sink.KinesisFirehoseSink;

import java.util.Properties;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Builds the sink of a {@code FIREHOSE} output: flink-connector-aws's {@link KinesisFirehoseSink}
 * sending each transformed record to an existing delivery stream with {@code PutRecordBatch}.
 *
 * <h2>At least once, not exactly once</h2>
 *
 * <p>The connector is an Async Sink: it buffers records, sends batches, re-sends the entries a
 * response reports as failed, and on a checkpoint waits for requests in flight and stores what is
 * still buffered. Records therefore are not lost, but may arrive more than once: after a restore
 * the source re-reads every record after the checkpoint, including those already delivered, and a
 * batch whose response was lost is sent again. Firehose itself does not de-duplicate. This is why
 * the staging output, not this one, feeds the warehouse.
 *
 * <h2>Limits</h2>
 *
 * <p>The defaults are the connector's own, which are Firehose's hard limits for {@code
 * PutRecordBatch}: 500 records and 4 MiB per request, 1,000 KiB per record. {@link Builder#build()}
 * rejects values above those limits, so a wrong setting fails at job construction.
 */
public final class FirehoseOutput {

    /** PutRecordBatch accepts at most 500 records per request. */
    public static final int MAX_BATCH_SIZE_LIMIT = 500;

    /** PutRecordBatch accepts at most 4 MiB per request. */
    public static final long MAX_BATCH_SIZE_BYTES_LIMIT = 4L * 1024 * 1024;

    /** Firehose accepts records of at most 1,000 KiB (before base64). */
    public static final long MAX_RECORD_SIZE_BYTES = 1000L * 1024;

    public static final int DEFAULT_MAX_BATCH_SIZE = MAX_BATCH_SIZE_LIMIT;
    public static final long DEFAULT_MAX_BATCH_SIZE_BYTES = MAX_BATCH_SIZE_BYTES_LIMIT;
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 50;
    public static final int DEFAULT_MAX_BUFFERED_REQUESTS = 10_000;
    public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 5_000;
    public static final boolean DEFAULT_FAIL_ON_ERROR = false;
    public static final boolean DEFAULT_APPEND_NEWLINE = true;

    private FirehoseOutput() {}

    /**
     * @param deliveryStreamName the existing delivery stream to send to
     */
    public static Builder builder(String deliveryStreamName) {
        return new Builder(deliveryStreamName);
    }

    /** Settings of one Firehose output, each with the default named above. */
    public static final class Builder {
        private final String deliveryStreamName;
        private Properties clientProperties = new Properties();
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private long maxBatchSizeBytes = DEFAULT_MAX_BATCH_SIZE_BYTES;
        private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT_REQUESTS;
        private int maxBufferedRequests = DEFAULT_MAX_BUFFERED_REQUESTS;
        private long maxTimeInBufferMs = DEFAULT_MAX_TIME_IN_BUFFER_MS;
        private boolean failOnError = DEFAULT_FAIL_ON_ERROR;
        private boolean appendNewline = DEFAULT_APPEND_NEWLINE;

        private Builder(String deliveryStreamName) {
            this.deliveryStreamName = checkNotNull(deliveryStreamName, "deliveryStreamName");
        }

        /**
         * The connector's {@code aws.*} client keys ({@code AWSConfigConstants}): region, endpoint,
         * credentials provider. Unset keys take the AWS defaults (default credentials chain,
         * HTTP/1.1).
         */
        public Builder clientProperties(Properties properties) {
            Properties copy = new Properties();
            copy.putAll(checkNotNull(properties, "properties"));
            this.clientProperties = copy;
            return this;
        }

        public Builder maxBatchSize(int records) {
            this.maxBatchSize = records;
            return this;
        }

        public Builder maxBatchSizeBytes(long bytes) {
            this.maxBatchSizeBytes = bytes;
            return this;
        }

        public Builder maxInFlightRequests(int requests) {
            this.maxInFlightRequests = requests;
            return this;
        }

        public Builder maxBufferedRequests(int records) {
            this.maxBufferedRequests = records;
            return this;
        }

        public Builder maxTimeInBufferMs(long millis) {
            this.maxTimeInBufferMs = millis;
            return this;
        }

        /**
         * Whether a failed request fails the job (true) or is retried (false, the default). With
         * true a throttled batch restarts the job from its last checkpoint, which delivers the
         * records since then again.
         */
        public Builder failOnError(boolean failOnError) {
            this.failOnError = failOnError;
            return this;
        }

        /** See {@link RecordPayloadSchema}. */
        public Builder appendNewline(boolean appendNewline) {
            this.appendNewline = appendNewline;
            return this;
        }

        /**
         * The step before this output's sink that sends records over Firehose's per-record limit to
         * {@link FirehoseRecordSizeGate#TOO_LARGE}, measured as the sink would send them.
         */
        public FirehoseRecordSizeGate sizeGate() {
            return new FirehoseRecordSizeGate(
                    deliveryStreamName, new RecordPayloadSchema(appendNewline));
        }

        /**
         * @throws IllegalArgumentException naming the setting and its allowed range, or an {@code
         *     aws.*} client key the connector would reject when the writer starts
         */
        public KinesisFirehoseSink<SluiceRecord> build() {
            // The connector checks these only when a writer starts, on the cluster.
            AWSGeneralUtil.validateAwsConfiguration(clientProperties);
            checkArgument(
                    !deliveryStreamName.trim().isEmpty(), "the delivery stream name is empty");
            checkArgument(
                    maxBatchSize >= 1 && maxBatchSize <= MAX_BATCH_SIZE_LIMIT,
                    "max batch size must be 1–%s records (PutRecordBatch's limit), got %s",
                    MAX_BATCH_SIZE_LIMIT,
                    maxBatchSize);
            checkArgument(
                    maxBatchSizeBytes >= MAX_RECORD_SIZE_BYTES
                            && maxBatchSizeBytes <= MAX_BATCH_SIZE_BYTES_LIMIT,
                    "max batch size in bytes must be %s–%s (one largest record to PutRecordBatch's"
                            + " limit), got %s",
                    MAX_RECORD_SIZE_BYTES,
                    MAX_BATCH_SIZE_BYTES_LIMIT,
                    maxBatchSizeBytes);
            checkArgument(
                    maxInFlightRequests >= 1,
                    "max in-flight requests must be at least 1, got %s",
                    maxInFlightRequests);
            checkArgument(
                    maxBufferedRequests > maxBatchSize,
                    "max buffered requests (%s) must be greater than the max batch size (%s)",
                    maxBufferedRequests,
                    maxBatchSize);
            checkArgument(
                    maxTimeInBufferMs >= 1,
                    "max time in buffer must be at least 1 ms, got %s",
                    maxTimeInBufferMs);
            return KinesisFirehoseSink.<SluiceRecord>builder()
                    .setDeliveryStreamName(deliveryStreamName)
                    .setSerializationSchema(new RecordPayloadSchema(appendNewline))
                    .setFirehoseClientProperties(clientProperties)
                    .setMaxBatchSize(maxBatchSize)
                    .setMaxBatchSizeInBytes(maxBatchSizeBytes)
                    .setMaxInFlightRequests(maxInFlightRequests)
                    .setMaxBufferedRequests(maxBufferedRequests)
                    .setMaxTimeInBufferMS(maxTimeInBufferMs)
                    .setMaxRecordSizeInBytes(MAX_RECORD_SIZE_BYTES)
                    .setFailOnError(failOnError)
                    .build();
        }
    }
}

package dev.sluice.job.config;

import dev.sluice.sinks.firehose.FirehoseOutput;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * The keys of an {@value #GROUP_PREFIX}{@code <name>} group with {@code type} {@code FIREHOSE}: the
 * delivery stream and the connector's batching limits. Besides these, the group takes the
 * connector's own {@code aws.*} client keys ({@code aws.endpoint}, {@code
 * aws.credentials.provider}, …), validated by the connector.
 *
 * <p>Such an output is at least once: see {@link FirehoseOutput}.
 */
public final class FirehoseOutputOptions {

    /** Same groups as {@link OutputOptions}: the two lists together are one group's keys. */
    public static final String GROUP_PREFIX = OutputOptions.GROUP_PREFIX;

    /** The connector's client keys pass through unread. */
    public static final String CLIENT_PREFIX = "aws.";

    public static final ConfigOption<String> DELIVERY_STREAM_NAME =
            ConfigOptions.key("firehose.delivery.stream.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("FIREHOSE only (required): the existing delivery stream.");

    public static final ConfigOption<String> REGION =
            ConfigOptions.key("aws.region")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "FIREHOSE only (required): the delivery stream's region. Other aws.*"
                                    + " keys of the connector (aws.endpoint,"
                                    + " aws.credentials.provider, …) are passed on; credentials"
                                    + " default to the AWS default chain.");

    public static final ConfigOption<Integer> MAX_BATCH_SIZE =
            ConfigOptions.key("firehose.max.batch.size")
                    .intType()
                    .defaultValue(FirehoseOutput.DEFAULT_MAX_BATCH_SIZE)
                    .withDescription("FIREHOSE only, 1–500: records per PutRecordBatch request.");

    public static final ConfigOption<Long> MAX_BATCH_SIZE_BYTES =
            ConfigOptions.key("firehose.max.batch.size.bytes")
                    .longType()
                    .defaultValue(FirehoseOutput.DEFAULT_MAX_BATCH_SIZE_BYTES)
                    .withDescription(
                            "FIREHOSE only, 1024000–4194304: bytes per PutRecordBatch request"
                                    + " (one largest record to Firehose's 4 MiB).");

    public static final ConfigOption<Integer> MAX_IN_FLIGHT_REQUESTS =
            ConfigOptions.key("firehose.max.in.flight.requests")
                    .intType()
                    .defaultValue(FirehoseOutput.DEFAULT_MAX_IN_FLIGHT_REQUESTS)
                    .withDescription(
                            "FIREHOSE only, at least 1: requests one writer subtask has open at"
                                    + " once.");

    public static final ConfigOption<Integer> MAX_BUFFERED_REQUESTS =
            ConfigOptions.key("firehose.max.buffered.requests")
                    .intType()
                    .defaultValue(FirehoseOutput.DEFAULT_MAX_BUFFERED_REQUESTS)
                    .withDescription(
                            "FIREHOSE only, at least 501 (more than the largest batch): records"
                                    + " one writer subtask buffers before it slows the job down.");

    public static final ConfigOption<Long> MAX_TIME_IN_BUFFER_MS =
            ConfigOptions.key("firehose.max.time.in.buffer.ms")
                    .longType()
                    .defaultValue(FirehoseOutput.DEFAULT_MAX_TIME_IN_BUFFER_MS)
                    .withDescription(
                            "FIREHOSE only, at least 1: the longest a record waits for a fuller"
                                    + " batch.");

    public static final ConfigOption<Boolean> FAIL_ON_ERROR =
            ConfigOptions.key("firehose.fail.on.error")
                    .booleanType()
                    .defaultValue(FirehoseOutput.DEFAULT_FAIL_ON_ERROR)
                    .withDescription(
                            "FIREHOSE only: true fails the job on a failed request (it restarts"
                                    + " from its last checkpoint) instead of retrying the"
                                    + " request.");

    public static final ConfigOption<Boolean> APPEND_NEWLINE =
            ConfigOptions.key("firehose.append.newline")
                    .booleanType()
                    .defaultValue(FirehoseOutput.DEFAULT_APPEND_NEWLINE)
                    .withDescription(
                            "FIREHOSE only: end each record with a newline (unless it has one),"
                                    + " since Firehose joins records without a delimiter.");

    public static final List<ConfigOption<?>> ALL =
            List.of(
                    DELIVERY_STREAM_NAME,
                    REGION,
                    MAX_BATCH_SIZE,
                    MAX_BATCH_SIZE_BYTES,
                    MAX_IN_FLIGHT_REQUESTS,
                    MAX_BUFFERED_REQUESTS,
                    MAX_TIME_IN_BUFFER_MS,
                    FAIL_ON_ERROR,
                    APPEND_NEWLINE);

    private FirehoseOutputOptions() {}
}

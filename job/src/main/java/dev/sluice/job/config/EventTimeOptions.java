package dev.sluice.job.config;

import dev.sluice.operators.time.EventTimeFormat;
import dev.sluice.operators.transform.LateRecordPolicy;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * Property group {@value #GROUP}: where a record's event time comes from and how watermarks follow
 * it. Without {@code field}, event time is the Kinesis approximate arrival time.
 */
public final class EventTimeOptions {

    public static final String GROUP = "EventTime";

    public static final ConfigOption<String> FIELD =
            ConfigOptions.key("field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Top-level JSON field holding the event time. Records without it, or"
                                    + " with a value that is not a time, use their arrival time"
                                    + " (counted as EventTimeFromArrivalRecords).");

    public static final ConfigOption<EventTimeFormat> FORMAT =
            ConfigOptions.key("format")
                    .enumType(EventTimeFormat.class)
                    .defaultValue(EventTimeFormat.AUTO)
                    .withDescription(
                            "AUTO, ISO_8601, EPOCH_MILLIS or EPOCH_SECONDS. AUTO reads ISO-8601"
                                    + " strings, and numbers below 10^11 as seconds, others as"
                                    + " milliseconds.");

    public static final ConfigOption<Long> MAX_OUT_OF_ORDERNESS_MS =
            ConfigOptions.key("max.out.of.orderness.ms")
                    .longType()
                    .defaultValue(5_000L)
                    .withDescription(
                            "How far behind the newest event time of its shard a record may be"
                                    + " and still not be late, 0–86400000 ms.");

    public static final ConfigOption<Long> IDLE_SHARD_TIMEOUT_MS =
            ConfigOptions.key("idle.shard.timeout.ms")
                    .longType()
                    .defaultValue(60_000L)
                    .withDescription(
                            "How long a shard keeps holding the watermark back after its last"
                                    + " record (the connector's flink.shard.idle.interval);"
                                    + " after that it no longer stalls the job. 0: a shard counts"
                                    + " only while it has records queued, which lets the watermark"
                                    + " run ahead of slow shards. 0 or 100–86400000 ms.");

    public static final ConfigOption<LateRecordPolicy> LATE_RECORDS =
            ConfigOptions.key("late.records")
                    .enumType(LateRecordPolicy.class)
                    .defaultValue(LateRecordPolicy.DELIVER)
                    .withDescription(
                            "DELIVER: late records are delivered like the rest (counted as"
                                    + " LateRecords). ERRORS: they go to errors/late/ instead.");

    public static final List<ConfigOption<?>> ALL =
            List.of(FIELD, FORMAT, MAX_OUT_OF_ORDERNESS_MS, IDLE_SHARD_TIMEOUT_MS, LATE_RECORDS);

    private EventTimeOptions() {}
}

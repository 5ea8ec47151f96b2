package dev.sluice.job.source;

import dev.sluice.operators.source.position.ResumePositions;
import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;

import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.util.KinesisConfigUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.TimeZone;

/**
 * The source's initial position when the ledger already knows shards of the stream: {@code LATEST}
 * or {@code AT_TIMESTAMP} must not skip the records between the ledger's positions and now on a
 * start without Flink state.
 *
 * <p>{@code flink.stream.initpos} only decides where shards <em>without restored state</em> start
 * (with state, the state's positions win, and the legacy consumer reads shards it discovers after a
 * restore from their oldest record). So when it is {@code LATEST} (the connector's default) or
 * {@code AT_TIMESTAMP} at a time after the oldest ledger position's arrival time minus {@link
 * #MARGIN}, it becomes {@code AT_TIMESTAMP} at that earlier time; {@code SourcePositionFilter} then
 * drops what is loaded. Arrival times are approximate, hence the margin. Shards the ledger does not
 * know start there too, so they may deliver records older than {@code LATEST} or the configured
 * timestamp would have: more, never fewer. If that time is older than the stream's retention,
 * Kinesis starts at the oldest record still kept (GetShardIterator, {@code Timestamp}: "If the time
 * stamp is older than the current trim horizon, the iterator returned is for the oldest untrimmed
 * data record"); records that expired before they were loaded are gone either way. {@code
 * TRIM_HORIZON} is left as it is: it already starts before every loaded position.
 *
 * <p>The ledger is read only when the configured position is one of the two that need it, and not
 * at job construction: the sources call this when they start without restored state ({@link
 * LedgerStartingKinesisConsumer}, {@link LedgerStartingKinesisStreamsSource}). A ledger that cannot
 * be read fails that start, rather than guess, and Flink's restart strategy tries again.
 */
final class LedgerStartPosition {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerStartPosition.class);

    /** How far before the oldest loaded arrival time a start without state reads. */
    static final Duration MARGIN = Duration.ofMinutes(5);

    private static final String LATEST = "LATEST";
    private static final String AT_TIMESTAMP = "AT_TIMESTAMP";

    private LedgerStartPosition() {}

    /**
     * @param consumer the consumer's properties; not changed
     * @return the properties to build the source with: {@code consumer} itself, or a copy starting
     *     at the ledger's oldest arrival time minus {@link #MARGIN}
     */
    static Properties apply(Properties consumer, String stream, ResumePositions ledger) {
        String initial =
                consumer.getProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, LATEST);
        if (!initial.equals(LATEST) && !initial.equals(AT_TIMESTAMP)) {
            return consumer;
        }
        SourcePositions loaded;
        try {
            loaded = ledger.read(stream);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot read the source positions of stream "
                            + stream
                            + " from the ledger (needed to start flink.stream.initpos="
                            + initial
                            + " without skipping records): "
                            + e.getMessage(),
                    e);
        }
        if (loaded.isEmpty()) {
            return consumer;
        }
        long oldest = Long.MAX_VALUE;
        for (SourcePosition position : loaded.asMap().values()) {
            oldest = Math.min(oldest, position.arrivalMillis());
        }
        long start = oldest - MARGIN.toMillis();
        if (initial.equals(AT_TIMESTAMP)
                && KinesisConfigUtil.parseStreamTimestampStartingPosition(consumer).getTime()
                        <= start) {
            return consumer;
        }
        Properties adjusted = new Properties();
        adjusted.putAll(consumer);
        adjusted.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, AT_TIMESTAMP);
        adjusted.remove(ConsumerConfigConstants.STREAM_TIMESTAMP_DATE_FORMAT);
        String timestamp = format(start);
        adjusted.setProperty(ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP, timestamp);
        LOG.info(
                "The ledger knows {} shards of stream {}: shards without restored state start at"
                        + " AT_TIMESTAMP {} (the oldest loaded arrival time minus {}) instead of"
                        + " flink.stream.initpos={}, so that a start without Flink state skips"
                        + " nothing; records at or before the ledger's positions are dropped"
                        + " after the source",
                loaded.size(),
                stream,
                timestamp,
                MARGIN,
                initial);
        return adjusted;
    }

    /** In the connector's default timestamp format, in UTC. */
    static String format(long epochMillis) {
        SimpleDateFormat format =
                new SimpleDateFormat(ConsumerConfigConstants.DEFAULT_STREAM_TIMESTAMP_DATE_FORMAT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(new Date(epochMillis));
    }
}

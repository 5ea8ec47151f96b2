package dev.sluice.sinks.loader;

import dev.sluice.operators.metrics.SluiceMetricGroups;
import dev.sluice.sinks.warehouse.LoadMetadata;
import dev.sluice.sinks.warehouse.LoadResult;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.time.Clock;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The loader's metrics, in Firehose's vocabulary so that dashboards and alarms carry over, in the
 * metric group {@code kinesisanalytics.sluice} of the loader operator (see {@code
 * SluiceMetricGroups}):
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>metric</th><th>kind</th><th>meaning</th></tr>
 *   <tr><td>{@value #SUCCESS}</td><td>counter</td><td>loads that COPYed and committed (a load
 *       whose files were all loaded before is not counted)</td></tr>
 *   <tr><td>{@value #RECORDS}</td><td>counter</td><td>rows those loads inserted</td></tr>
 *   <tr><td>{@value #REJECTED}</td><td>counter</td><td>rows those loads left out because the
 *       warehouse refused their values, written to {@code errors/load-rejected/}</td></tr>
 *   <tr><td>{@value #BYTES}</td><td>counter</td><td>staged bytes those loads read</td></tr>
 *   <tr><td>{@value #FAILED}</td><td>counter</td><td>loads given up to {@code
 *       errors/load-failed/}</td></tr>
 *   <tr><td>{@value #PENDING_FILES}</td><td>gauge</td><td>committed files not yet confirmed
 *       loaded, including those of the load in progress</td></tr>
 *   <tr><td>{@value #OLDEST_PENDING_AGE}</td><td>gauge</td><td>milliseconds since the oldest of
 *       those files reached the loader (since the restore, for files restored from a checkpoint);
 *       0 when none is pending. It grows without bound when loads stall or the warehouse is
 *       down: the number to alarm on</td></tr>
 *   <tr><td>{@value #DATA_FRESHNESS}</td><td>gauge</td><td>milliseconds from the newest
 *       event-time watermark a load recorded to now: how far the table's completeness lags behind
 *       the clock; -1 until a load recorded one</td></tr>
 * </table>
 *
 * <p>Nothing here carries configuration, so no secret can reach a metric.
 */
final class LoaderMetrics {

    static final String SUCCESS = "DeliveryToRedshift.Success";
    static final String RECORDS = "DeliveryToRedshift.Records";
    static final String BYTES = "DeliveryToRedshift.Bytes";
    static final String REJECTED = "DeliveryToRedshift.RejectedRecords";
    static final String FAILED = "DeliveryToRedshift.Failed";
    static final String PENDING_FILES = "PendingLoadFiles";
    static final String DATA_FRESHNESS = "DeliveryToRedshift.DataFreshness";
    static final String OLDEST_PENDING_AGE = "OldestPendingLoadFileAgeMs";

    /** What {@code oldestPendingSince} says when no file is pending. */
    static final long NONE_PENDING = Long.MIN_VALUE;

    private final Counter success;
    private final Counter records;
    private final Counter bytes;
    private final Counter rejected;
    private final Counter failed;
    private final Clock clock;
    private volatile long newestWatermark = Long.MIN_VALUE;

    /**
     * @param operatorGroup the operator's metric group
     * @param pendingFiles read by the metric reporter's thread; must be safe to call from it
     * @param oldestPendingSince epoch millis at which the oldest pending file arrived, or {@link
     *     #NONE_PENDING}; read by the metric reporter's thread
     */
    LoaderMetrics(
            MetricGroup operatorGroup,
            IntSupplier pendingFiles,
            LongSupplier oldestPendingSince,
            Clock clock) {
        MetricGroup group = SluiceMetricGroups.sluice(operatorGroup);
        this.success = group.counter(SUCCESS);
        this.records = group.counter(RECORDS);
        this.bytes = group.counter(BYTES);
        this.rejected = group.counter(REJECTED);
        this.failed = group.counter(FAILED);
        this.clock = clock;
        group.gauge(PENDING_FILES, pendingFiles::getAsInt);
        group.gauge(DATA_FRESHNESS, this::dataFreshnessMs);
        group.gauge(
                OLDEST_PENDING_AGE,
                () -> {
                    long since = oldestPendingSince.getAsLong();
                    return since == NONE_PENDING ? 0L : Math.max(0, clock.millis() - since);
                });
    }

    void delivered(LoadResult result, LoadMetadata metadata) {
        if (!result.loaded()) {
            return;
        }
        success.inc();
        records.inc(result.rows());
        bytes.inc(result.bytes());
        rejected.inc(result.rejectedRows());
        if (metadata.eventTimeWatermark() != null) {
            newestWatermark =
                    Math.max(newestWatermark, metadata.eventTimeWatermark().toEpochMilli());
        }
    }

    void gaveUp() {
        failed.inc();
    }

    long successes() {
        return success.getCount();
    }

    long records() {
        return records.getCount();
    }

    long rejectedRecords() {
        return rejected.getCount();
    }

    long bytes() {
        return bytes.getCount();
    }

    long failures() {
        return failed.getCount();
    }

    long dataFreshnessMs() {
        long watermark = newestWatermark;
        return watermark == Long.MIN_VALUE ? -1 : Math.max(0, clock.millis() - watermark);
    }
}

package dev.sluice.operators.transform;

import dev.sluice.operators.metrics.SluiceMetricGroups;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The transform stage's counters, in Firehose's vocabulary, in the group {@link
 * SluiceMetricGroups#sluice} creates (so that MSF forwards them to CloudWatch).
 *
 * <p>IncomingRecords and IncomingBytes are counted here, in the first operator after the source,
 * rather than in the deserialization schema: the Kinesis consumer clones that schema per shard, and
 * clones registering the same counter name in one group would collide. EventTimeFromArrival counts
 * records whose payload had no usable event time (all of them when no event-time field is
 * configured).
 *
 * <p>Every record that enters the stage increments exactly one of Ok, Dropped and ProcessingFailed,
 * or Late when late records are routed to the errors prefix; so "nothing is lost" can be checked
 * from the metrics alone: in = ok + dropped + failed + late-routed.
 */
public final class TransformMetrics {

    public static final String INCOMING_RECORDS = "IncomingRecords";
    public static final String INCOMING_BYTES = "IncomingBytes";
    public static final String EVENT_TIME_FROM_ARRIVAL = "EventTimeFromArrivalRecords";
    public static final String OK = "TransformOkRecords";
    public static final String DROPPED = "TransformDroppedRecords";
    public static final String PROCESSING_FAILED = "TransformProcessingFailedRecords";
    public static final String EXCEPTIONS = "TransformExceptions";
    public static final String LATE = "LateRecords";
    public static final String LATE_ROUTED = "LateRecordsToErrors";

    final Counter incomingRecords;
    final Counter incomingBytes;
    final Counter eventTimeFromArrival;
    final Counter ok;
    final Counter dropped;
    final Counter processingFailed;
    final Counter exceptions;
    final Counter late;
    final Counter lateRouted;

    private TransformMetrics(MetricGroup group) {
        this.incomingRecords = group.counter(INCOMING_RECORDS);
        this.incomingBytes = group.counter(INCOMING_BYTES);
        this.eventTimeFromArrival = group.counter(EVENT_TIME_FROM_ARRIVAL);
        this.ok = group.counter(OK);
        this.dropped = group.counter(DROPPED);
        this.processingFailed = group.counter(PROCESSING_FAILED);
        this.exceptions = group.counter(EXCEPTIONS);
        this.late = group.counter(LATE);
        this.lateRouted = group.counter(LATE_ROUTED);
    }

    /**
     * @param operatorGroup the operator's metric group; see {@link SluiceMetricGroups}
     */
    public static TransformMetrics register(MetricGroup operatorGroup) {
        return new TransformMetrics(SluiceMetricGroups.sluice(operatorGroup));
    }
}

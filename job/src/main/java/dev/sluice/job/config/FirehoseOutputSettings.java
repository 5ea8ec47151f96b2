package dev.sluice.job.config;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.sinks.firehose.FirehoseOutput;
import dev.sluice.sinks.firehose.FirehoseRecordSizeGate;

import org.apache.flink.connector.firehose.sink.KinesisFirehoseSink;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One {@code Output.<name>} group of type {@code FIREHOSE}, validated: its name and its sink's
 * settings (see {@link FirehoseOutputOptions}).
 */
public final class FirehoseOutputSettings {

    private final String name;
    private final String deliveryStreamName;
    private final FirehoseOutput.Builder sink;

    FirehoseOutputSettings(String name, String deliveryStreamName, FirehoseOutput.Builder sink) {
        this.name = checkNotNull(name, "name");
        this.deliveryStreamName = checkNotNull(deliveryStreamName, "deliveryStreamName");
        this.sink = checkNotNull(sink, "sink");
    }

    /** The {@code <name>} of its {@code Output.<name>} group. */
    public String name() {
        return name;
    }

    public String deliveryStreamName() {
        return deliveryStreamName;
    }

    /** A new sink with these settings (already checked when the configuration was read). */
    public KinesisFirehoseSink<SluiceRecord> sink() {
        return sink.build();
    }

    /** Sends records over Firehose's per-record limit aside: {@link FirehoseRecordSizeGate}. */
    public FirehoseRecordSizeGate sizeGate() {
        return sink.sizeGate();
    }

    @Override
    public String toString() {
        return name + " (FIREHOSE → " + deliveryStreamName + ")";
    }
}

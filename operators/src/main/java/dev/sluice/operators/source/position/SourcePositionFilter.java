package dev.sluice.operators.source.position;

import dev.sluice.operators.metrics.SluiceMetricGroups;
import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Right after the source: numbers the user records that share a sequence number, and drops every
 * record the warehouse ledger says is loaded already. This is what makes a start <em>without</em>
 * Flink state exactly once for the warehouse table.
 *
 * <h2>Why the filter always applies</h2>
 *
 * <p>A position in the ledger is only ever written in the transaction that loads the rows it claims
 * (see {@code LoadLedger}), so a record at or before it is in the table — or, exactly as with Flink
 * state, in {@code errors/} or a written-off load in {@code errors/load-failed/}. Dropping such a
 * record is therefore always safe, with or without restored state: with state, the source resumes
 * at or after the ledger's positions anyway and the filter drops nothing; restored from an older
 * savepoint, it drops what a newer run loaded since, which would otherwise be loaded twice (the
 * file ledger cannot catch it: the files are new). So the filter needs no notion of "stateless
 * start" and applies on every start; the positions are read once, when the subtask opens.
 *
 * <h2>Sub-sequence numbers (KPL)</h2>
 *
 * <p>The user records of a KPL-aggregated Kinesis record share its sequence number, and the Kinesis
 * source does not pass the sub-sequence number to the deserialization schema. A checkpoint may fall
 * between two of them. So this function counts them: a record with the same sequence number as the
 * previous record of its shard gets the previous one's {@linkplain
 * SluiceRecord#getSubSequenceNumber() sub-sequence number} plus one, any other record 0. The count
 * is exact because the function is chained to the source (no shuffle before it) and sees each
 * shard's records in order, and it is checkpointed (as the last position seen per shard, in union
 * list state so shards can move between subtasks on a rescale): a restore that resumes in the
 * middle of an aggregated record continues counting where the source resumes. A stateless start
 * re-reads an aggregated record from its first user record, so the count starts at 0 there too.
 *
 * <h2>What it assumes</h2>
 *
 * <ul>
 *   <li>Aligned checkpoints: a record staged in checkpoint N proves every earlier record of its
 *       shard was processed in checkpoint N or before. With unaligned checkpoints an earlier record
 *       can still be in channel state; {@code SluicePipeline} refuses them.
 *   <li>No transform holds records back across checkpoints (in keyed state or timers) and emits
 *       them later; such a record would sit below a loaded position of its shard and be dropped on
 *       a stateless start.
 * </ul>
 *
 * <p>Records of shards the ledger does not know pass, and are read from wherever the source starts
 * them (its state, or {@code flink.stream.initpos}). Each subtask logs, per shard, the first time
 * it sees it, whether it resumes after a ledger position or not. Dropped records are counted in
 * {@value #RECORDS_ALREADY_LOADED}.
 */
public final class SourcePositionFilter extends ProcessFunction<SluiceRecord, SluiceRecord>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(SourcePositionFilter.class);

    /** Records dropped because the ledger says they are loaded. */
    public static final String RECORDS_ALREADY_LOADED = "RecordsAlreadyLoaded";

    static final ListStateDescriptor<byte[]> LAST_SEEN_STATE =
            new ListStateDescriptor<>(
                    "sluice-last-seen-positions", BytePrimitiveArraySerializer.INSTANCE);

    /** Version of the {@link #LAST_SEEN_STATE} entries' layout (a {@link SourcePositions}). */
    static final int STATE_VERSION = 1;

    private final String stream;
    private final ResumePositions resume;

    private transient SourcePositions loaded;
    private transient SourcePositions lastSeen;
    private transient ListState<byte[]> state;
    private transient Set<StreamShard> announced;
    private transient Counter alreadyLoaded;

    /**
     * @param stream the stream the source reads, whose ledger positions apply
     * @param resume where the ledger positions come from
     */
    public SourcePositionFilter(String stream, ResumePositions resume) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.resume = Objects.requireNonNull(resume, "resume");
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(LAST_SEEN_STATE);
        lastSeen = new SourcePositions();
        for (byte[] bytes : state.get()) {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int version = in.readInt();
            if (version != STATE_VERSION) {
                throw new IOException(
                        "Unknown last-seen positions state version "
                                + version
                                + "; this Sluice reads "
                                + STATE_VERSION);
            }
            lastSeen.merge(SourcePositions.read(in));
        }
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        try {
            loaded = resume.read(stream);
        } catch (Exception e) {
            // Failing the task is the only safe answer: without the positions, a start without
            // Flink state would deliver loaded records again. Flink's restart strategy retries.
            throw new IOException(
                    "Cannot read the source positions of stream "
                            + stream
                            + " from the warehouse ledger: "
                            + e.getMessage(),
                    e);
        }
        announced = new HashSet<>();
        alreadyLoaded =
                SluiceMetricGroups.sluice(getRuntimeContext().getMetricGroup())
                        .counter(RECORDS_ALREADY_LOADED);
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            LOG.info(
                    "The ledger knows {} shards of stream {}; records at or before their"
                            + " positions are not delivered again",
                    loaded.size(),
                    stream);
        }
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<SluiceRecord> out) {
        String sequenceNumber = record.getSequenceNumber();
        if (sequenceNumber == null || record.getShardId() == null) {
            out.collect(record);
            return;
        }
        StreamShard shard =
                new StreamShard(
                        record.getStream() == null ? stream : record.getStream(),
                        record.getShardId());
        SourcePosition previous = lastSeen.get(shard);
        long subSequence =
                previous != null && previous.sequenceNumber().equals(sequenceNumber)
                        ? previous.subSequenceNumber() + 1
                        : 0;
        record.setSubSequenceNumber(subSequence);
        lastSeen.advance(
                shard,
                new SourcePosition(
                        sequenceNumber, subSequence, record.getApproximateArrivalTimestamp()));

        SourcePosition done = loaded.get(shard);
        if (announced.add(shard)) {
            announce(shard, done);
        }
        if (done != null && done.covers(sequenceNumber, subSequence)) {
            alreadyLoaded.inc();
            return;
        }
        out.collect(record);
    }

    private static void announce(StreamShard shard, SourcePosition done) {
        if (done != null) {
            LOG.info(
                    "Shard {}: resuming after sequence number {} from the ledger (loaded at"
                            + " arrival time {} ms); records at or before it are skipped",
                    shard,
                    done,
                    done.arrivalMillis());
        } else {
            LOG.info(
                    "Shard {}: not in the ledger; read from the source's start position (its"
                            + " restored state, or flink.stream.initpos)",
                    shard);
        }
    }

    /** For tests: the {@value #RECORDS_ALREADY_LOADED} counter. */
    Counter alreadyLoaded() {
        return alreadyLoaded;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(STATE_VERSION);
        lastSeen.write(out);
        state.update(List.of(out.getCopyOfBuffer()));
    }
}

package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.util.Collection;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * A {@link FileSink} whose committed files are then loaded into the warehouse.
 *
 * <p>Everything about writing and committing files is the wrapped FileSink's own two-phase commit;
 * this class only adds a post-commit topology. Flink hands that topology the committables after the
 * FileSink committer has made them visible, that is, only for checkpoints that completed. They are
 * reduced to {@link CommittedFile}s and gathered by the single {@link WarehouseLoaderOperator},
 * which loads them, merging checkpoints when it has fallen behind.
 *
 * <p>Flink may replay committables that were already committed after recovery; the loader's ledger
 * makes those replays harmless.
 */
public final class LoadingFileSink<IN>
        implements Sink<IN>,
                SupportsWriterState<IN, FileWriterBucketState>,
                SupportsWriterState.WithCompatibleState,
                SupportsCommitter<StagedCommittable>,
                SupportsPostCommitTopology<StagedCommittable> {

    private static final long serialVersionUID = 1L;

    /**
     * Stable uid so that the loader's state survives job graph changes and savepoints. Flink
     * prefixes it with the sink's uid ({@code "<sink uid>: sluice-warehouse-loader"}).
     */
    public static final String LOADER_UID = "sluice-warehouse-loader";

    /** The loader operator's name in the Flink UI and logs. */
    static final String LOADER_NAME = "Warehouse loader";

    private final FileSink<IN> files;
    private final WarehouseLoaderConfig loaderConfig;
    private final LoaderExecutionOptions execution;
    private final RowPositions<IN> rowPositions;

    /** Built once per instance: see {@link #getCommittableSerializer()}. */
    private transient SimpleVersionedSerializer<StagedCommittable> committableSerializer;

    /** Without source positions: loads record none in the ledger. */
    public LoadingFileSink(
            FileSink<IN> files,
            WarehouseLoaderConfig loaderConfig,
            LoaderExecutionOptions execution) {
        this(files, loaderConfig, execution, RowPositions.none());
    }

    /**
     * @param rowPositions reads each row's source position; the loader records, with each load, how
     *     far every shard is loaded (see {@link WatermarkRecordingWriter})
     */
    public LoadingFileSink(
            FileSink<IN> files,
            WarehouseLoaderConfig loaderConfig,
            LoaderExecutionOptions execution,
            RowPositions<IN> rowPositions) {
        this.files = checkNotNull(files, "files");
        this.loaderConfig = checkNotNull(loaderConfig, "loaderConfig");
        this.execution = checkNotNull(execution, "execution");
        this.rowPositions = checkNotNull(rowPositions, "rowPositions");
    }

    /** Not supported, as by FileSink itself: Flink 1.19 calls the other one. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<IN> createWriter(InitContext context) throws IOException {
        throw new UnsupportedOperationException("Not supported");
    }

    @Override
    public StatefulSinkWriter<IN, FileWriterBucketState> createWriter(WriterInitContext context)
            throws IOException {
        return new WatermarkRecordingWriter<>(
                files.createWriter(context),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getNumberOfParallelSubtasks(),
                rowPositions);
    }

    @Override
    public StatefulSinkWriter<IN, FileWriterBucketState> restoreWriter(
            WriterInitContext context, Collection<FileWriterBucketState> recoveredState)
            throws IOException {
        return new WatermarkRecordingWriter<>(
                files.restoreWriter(context, recoveredState),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getNumberOfParallelSubtasks(),
                rowPositions);
    }

    @Override
    public SimpleVersionedSerializer<FileWriterBucketState> getWriterStateSerializer() {
        return files.getWriterStateSerializer();
    }

    @Override
    public Collection<String> getCompatibleWriterStateNames() {
        return files.getCompatibleWriterStateNames();
    }

    @Override
    public Committer<StagedCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        return new UnwrappingCommitter(files.createCommitter(context));
    }

    /**
     * FileSink's committables with the writer's watermark. FileSink's pre-commit topology is not
     * used: it only matters for file compaction, which the staging sink does not enable.
     *
     * <p>Kept once built: FileSink builds a bucket writer, and with it the S3 file system's Hadoop
     * configuration, for every call, and Flink calls this many times while it builds the job graph
     * (each time it prints the sink's type). That was a third of the job's start-up CPU in a
     * profile of the pipeline. The serializer holds no state between calls.
     */
    @Override
    public SimpleVersionedSerializer<StagedCommittable> getCommittableSerializer() {
        if (committableSerializer == null) {
            committableSerializer =
                    new StagedCommittableSerializer(files.getCommittableSerializer());
        }
        return committableSerializer;
    }

    @Override
    public void addPostCommitTopology(
            DataStream<CommittableMessage<StagedCommittable>> committables) {
        DataStream<CommittableMessage<CommittedFile>> committed =
                committables
                        .map(new ToCommittedFile())
                        .returns(CommittableMessageTypeInfo.of(CommittedFileSerializer::new))
                        .name("Committed files")
                        .uid(LOADER_UID + "-committed-files")
                        .setParallelism(committables.getParallelism());
        committed
                .transform(
                        LOADER_NAME,
                        TypeInformation.of(Void.class),
                        new WarehouseLoaderOperatorFactory(loaderConfig, execution))
                .uid(LOADER_UID)
                .setParallelism(1)
                // Its own vertex at every job parallelism: see WarehouseLoaderOperator.
                .disableChaining();
    }
}

package dev.sluice.job;

import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.InvalidConfigurationException;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.TransformOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job's graph as Flink builds it: a stage without a key adds no {@code keyBy}, so the transform
 * stays chained to the source with no shuffle; {@code dedup} puts one hash partitioning right
 * before the transform.
 */
class SluicePipelineGraphTest {

    private static final Path EXAMPLE = Path.of("..", "conf", "sluice-redshift.example.json");

    @Test
    void withoutDedupOrAKeyTheGraphHasNoKeyByAndTheTransformIsChainedToTheSource()
            throws Exception {
        StreamGraph graph = graph(transform());

        assertThat(edges(graph))
                .noneMatch(e -> e.getPartitioner() instanceof KeyGroupStreamPartitioner);
        assertThat(transformNode(graph).getInEdges())
                .singleElement()
                .satisfies(
                        e -> assertThat(e.getPartitioner()).isInstanceOf(ForwardPartitioner.class));
        JobGraph job = graph.getJobGraph();
        JobVertex first = job.getVerticesSortedTopologicallyFromSources().get(0);
        assertThat(first.getName()).contains("Kinesis").contains("Transform");
        assertThat(graph.getExecutionConfig().isObjectReuseEnabled())
                .as("chained operators pass records on without copying them")
                .isTrue();
    }

    @Test
    void dedupPutsOneKeyByBeforeTheTransform() throws Exception {
        Properties transform = transform();
        transform.setProperty(TransformOptions.CHAIN.key(), "json,dedup");
        transform.setProperty(TransformOptions.DEDUP_KEY_FIELD.key(), "event_id");
        StreamGraph graph = graph(transform);

        assertThat(edges(graph))
                .filteredOn(e -> e.getPartitioner() instanceof KeyGroupStreamPartitioner)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(graph.getStreamNode(e.getTargetId()).getOperatorName())
                                        .startsWith("Transform"));
        assertThat(transformNode(graph).getStatePartitioners()).hasSize(1);
    }

    @Test
    void dedupWithAKeyedUserTransformSharesTheOneKeyBy() throws Exception {
        Properties transform = transform();
        transform.setProperty(TransformOptions.CHAIN.key(), "json,dedup");
        transform.setProperty(TransformOptions.DEDUP_KEY_FIELD.key(), "event_id");
        transform.setProperty(TransformOptions.CLASS.key(), EventsPerUserTransform.class.getName());
        transform.setProperty(TransformOptions.KEY_FIELD.key(), "user_id");
        StreamGraph graph = graph(transform);

        assertThat(edges(graph))
                .filteredOn(e -> e.getPartitioner() instanceof KeyGroupStreamPartitioner)
                .as("one keyBy for both keyed steps")
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(graph.getStreamNode(e.getTargetId()).getOperatorName())
                                        .startsWith("Transform"));
    }

    /**
     * Flink 1.19 never chains a sink writer (a yielding operator) to a legacy {@code
     * SourceFunction}: with the legacy consumer the staging writer is a task of its own, fed over a
     * serializing channel; with the FLIP-27 source it joins the source's chain. The benchmarks and
     * docs/sources.md rely on this difference.
     */
    @Test
    void theStagingWriterIsChainedToAFlip27SourceButNotToTheLegacyConsumer() throws Exception {
        assertThat(firstVertexName(graph(transform())))
                .contains("Kinesis POLLING")
                .doesNotContain("Writer");

        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        Properties source = groups.get(SourceOptions.GROUP);
        source.setProperty(SourceOptions.SOURCE_TYPE.key(), "FLIP27");
        source.setProperty(
                SourceOptions.STREAM_ARN.key(),
                "arn:aws:kinesis:us-east-1:000000000000:stream/user-events");
        assertThat(firstVertexName(graph(groups)))
                .contains("Kinesis FLIP27")
                .contains("S3 staging (JSON+GZIP) → warehouse: Writer");
    }

    private static String firstVertexName(StreamGraph graph) {
        return graph.getJobGraph().getVerticesSortedTopologicallyFromSources().get(0).getName();
    }

    @Test
    void unalignedCheckpointsAreRefusedInOneLineNamingTheKey() throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.put(TransformOptions.GROUP, transform());
        Configuration flink = new Configuration();
        flink.set(ExecutionCheckpointingOptions.ENABLE_UNALIGNED, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);

        assertThatThrownBy(() -> SluicePipeline.build(env, SluiceConfig.from(groups)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("execution.checkpointing.unaligned is on")
                .hasMessageNotContaining("\n");
    }

    private static Properties transform() {
        return new Properties();
    }

    private static StreamGraph graph(Properties transform) throws Exception {
        Map<String, Properties> groups = ApplicationProperties.fromFile(EXAMPLE);
        groups.put(TransformOptions.GROUP, transform);
        return graph(groups);
    }

    private static StreamGraph graph(Map<String, Properties> groups) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SluicePipeline.build(env, SluiceConfig.from(groups));
        return env.getStreamGraph();
    }

    private static StreamNode transformNode(StreamGraph graph) {
        return graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().startsWith("Transform"))
                .findFirst()
                .orElseThrow();
    }

    private static List<StreamEdge> edges(StreamGraph graph) {
        return graph.getStreamNodes().stream().flatMap(n -> n.getOutEdges().stream()).toList();
    }
}

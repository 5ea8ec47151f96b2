package dev.sluice.sinks.s3;

import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staging FileSink in a real (bounded) job on local files: where files land under a prefix
 * template, that the buffering size caps each file, and that every record is in exactly one line.
 */
class OutputFileSinksTest {

    private static final int RECORDS = 40_000;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TwoSlotMiniCluster.extension();

    @TempDir Path bucket;

    @Test
    void filesLandUnderTheRenderedPrefixCappedAtTheBufferingSizeWithEveryRecordOnce()
            throws Exception {
        String day =
                DateTimeFormatter.ofPattern("yyyy-MM-dd")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now());
        PrefixTemplate prefix = PrefixTemplate.parse("staging/events/dt=!{timestamp:yyyy-MM-dd}/");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.enableCheckpointing(1_000);
        env.fromSequence(1, RECORDS)
                .map(OutputFileSinksTest::record)
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .sinkTo(
                        OutputFileSinks.gzipJsonLines(
                                bucket.toUri().toString(), prefix, BufferingHints.of(1), "sluice"));
        env.execute("staging file sink");

        Path dir = bucket.resolve("staging/events/dt=" + day);
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files =
                    listing.filter(p -> p.getFileName().toString().endsWith(".json.gz"))
                            .sorted()
                            .collect(Collectors.toList());
        }
        assertThat(files)
                .allSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("sluice-"));
        // Random payloads barely compress, so 1 MiB caps force several files per subtask.
        assertThat(files).hasSizeGreaterThan(2);
        for (Path file : files) {
            assertThat(Files.size(file)).isLessThan(1024 * 1024 + 128 * 1024);
        }

        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            lines.addAll(gunzip(file).lines().collect(Collectors.toList()));
        }
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(line.substring(0, line.indexOf(',')));
        }
        assertThat(lines).hasSize(RECORDS);
        assertThat(ids).hasSize(RECORDS);
    }

    /** {"id":N,"pad":"<random hex>"}: about 140 bytes that GZIP cannot shrink much. */
    private static byte[] record(long id) {
        StringBuilder pad = new StringBuilder();
        java.util.Random random = new java.util.Random(id);
        for (int i = 0; i < 16; i++) {
            pad.append(Long.toHexString(random.nextLong()));
        }
        return ("{\"id\":" + id + ",\"pad\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}

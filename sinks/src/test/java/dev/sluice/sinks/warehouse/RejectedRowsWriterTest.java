package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RejectedRowsWriterTest {

    @Test
    void rejectedRowsGoBesideLoadFailedUnderANameThatDependsOnlyOnTheStagedFile() {
        RejectedRowsWriter writer =
                RejectedRowsWriter.besideFailedLoads("s3://b/p/errors/load-failed/");
        String a = writer.pathFor("s3://b/p/data/2026/11/22/06/part-1-0.json.gz");

        assertThat(a).matches("s3://b/p/errors/load-rejected/part-1-0-[0-9a-f]{12}\\.json\\.gz");
        assertThat(writer.pathFor("s3://b/p/data/2026/11/22/06/part-1-0.json.gz")).isEqualTo(a);
        assertThat(writer.pathFor("s3://b/p/data/2026/11/22/07/part-1-0.json.gz"))
                .as("the same name in another directory is another file")
                .isNotEqualTo(a);
    }
}

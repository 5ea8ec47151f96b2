package dev.sluice.sinks.s3.errors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorFilesTest {

    @Test
    void recordFilesAreTheFinishedPartFilesAndTheRejectedRowsNotTheLoadFailedDocuments() {
        assertThat(
                        ErrorFiles.holdsRecords(
                                "p/errors/processing-failed/2026/11/22/06/errors-0-3.json.gz"))
                .isTrue();
        assertThat(
                        ErrorFiles.holdsRecords(
                                "p/errors/format-conversion-failed/2026/11/22/06/errors-1-0.json.gz"))
                .isTrue();
        assertThat(ErrorFiles.holdsRecords("p/errors/load-rejected/part-1-0-3f2a1b9c0d4e.json.gz"))
                .isTrue();
        assertThat(ErrorFiles.holdsRecords("p/errors/load-failed/2026/11/22/06/abc.manifest"))
                .isFalse();
        assertThat(ErrorFiles.holdsRecords("p/errors/load-failed/2026/11/22/06/abc.error.json"))
                .isFalse();
        assertThat(
                        ErrorFiles.holdsRecords(
                                "p/errors/processing-failed/2026/11/22/06/.errors-0-3.json.gz.inprogress.x"))
                .isFalse();
        assertThat(
                        ErrorFiles.holdsRecords(
                                "p/errors/processing-failed/2026/11/22/06/_part-0_tmp_1a.json.gz"))
                .isFalse();
    }
}

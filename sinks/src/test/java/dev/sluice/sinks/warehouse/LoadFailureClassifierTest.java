package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static dev.sluice.sinks.warehouse.LoadFailureClassifier.Kind.DATA;
import static dev.sluice.sinks.warehouse.LoadFailureClassifier.Kind.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;

class LoadFailureClassifierTest {

    @Test
    void refusedCredentialsAndDeniedS3AccessArePermanent() {
        assertThat(LoadFailureClassifier.classify(new SQLException("auth", "28P01")))
                .isEqualTo(LoadFailureClassifier.Kind.PERMANENT);
        assertThat(LoadFailureClassifier.classify(new SQLException("no such role", "28000")))
                .isEqualTo(LoadFailureClassifier.Kind.PERMANENT);
        assertThat(
                        LoadFailureClassifier.classify(
                                new java.io.IOException(
                                        "Cannot write the manifest s3://b/m",
                                        new java.nio.file.AccessDeniedException(
                                                "s3://b/m: getFileStatus"))))
                .isEqualTo(LoadFailureClassifier.Kind.PERMANENT);
        assertThat(
                        LoadFailureClassifier.classify(
                                new java.io.IOException(
                                        "Service: Amazon S3; Status Code: 403; Error Code:"
                                                + " AccessDenied")))
                .isEqualTo(LoadFailureClassifier.Kind.PERMANENT);
        assertThat(LoadFailureClassifier.classify(new SQLException("refused", "08001")))
                .isEqualTo(LoadFailureClassifier.Kind.TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "53300", "57P01", "57P03", "40001", "40P01", "57014"})
    void connectionResourceShutdownAndSerializationStatesAreRetried(String sqlState) {
        assertThat(LoadFailureClassifier.classify(new SQLException("x", sqlState)))
                .isEqualTo(TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"22P02", "22001", "42703", "42P01", "42804", "42501", "23505"})
    void badValuesMissingColumnsOrTablesAndPrivilegesAreDataErrors(String sqlState) {
        assertThat(LoadFailureClassifier.classify(new SQLException("x", sqlState))).isEqualTo(DATA);
    }

    @Test
    void aMalformedStagedLineIsADataError() {
        assertThat(
                        LoadFailureClassifier.classify(
                                new MalformedRecordException("s3://b/f", 3, "not JSON")))
                .isEqualTo(DATA);
    }

    @Test
    void redshiftsLoadErrorPointingAtStlLoadErrorsIsADataError() {
        SQLException e =
                new SQLException(
                        "ERROR: Load into table 'events' failed. Check 'stl_load_errors' system"
                                + " table for details.",
                        "XX000");
        assertThat(LoadFailureClassifier.classify(e)).isEqualTo(DATA);
    }

    @Test
    void otherInternalErrorsAreRetried() {
        assertThat(LoadFailureClassifier.classify(new SQLException("boom", "XX000")))
                .isEqualTo(TRANSIENT);
    }

    @Test
    void socketErrorsAndTimeoutsAreRetriedEvenWhenWrapped() {
        assertThat(
                        LoadFailureClassifier.classify(
                                new IOException("read", new SocketTimeoutException("timed out"))))
                .isEqualTo(TRANSIENT);
        assertThat(
                        LoadFailureClassifier.classify(
                                new SQLException("no state", new ConnectException("refused"))))
                .isEqualTo(TRANSIENT);
        assertThat(LoadFailureClassifier.classify(new SQLTransientConnectionException("x")))
                .isEqualTo(TRANSIENT);
    }

    @Test
    void theStateOfAWrappedDriverErrorDecides() {
        SQLException driver = new SQLException("invalid input", "22P02");
        assertThat(LoadFailureClassifier.classify(new IOException("copy failed", driver)))
                .isEqualTo(DATA);
    }

    @Test
    void unknownFailuresAreRetriedRatherThanWrittenOff() {
        assertThat(LoadFailureClassifier.classify(new SQLException("who knows")))
                .isEqualTo(TRANSIENT);
        assertThat(LoadFailureClassifier.classify(new IOException("S3 hiccup")))
                .isEqualTo(TRANSIENT);
    }
}

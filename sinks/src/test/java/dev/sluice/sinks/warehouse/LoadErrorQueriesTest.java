package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the SQL that asks Redshift why a load failed; there is no Redshift to run it against. */
class LoadErrorQueriesTest {

    @Test
    void sysLoadErrorDetailIsAskedForThisSessionsErrorsWithoutRawValues() {
        assertThat(LoadErrorQueries.SYS_LOAD_ERROR_DETAIL)
                .isEqualTo(
                        "SELECT TRIM(file_name), line_number, TRIM(column_name), error_code,"
                                + " TRIM(error_message) FROM sys_load_error_detail"
                                + " WHERE session_id = pg_backend_pid()"
                                + " ORDER BY start_time DESC, file_name, line_number LIMIT 100");
    }

    @Test
    void stlLoadErrorsIsTheFallbackForProvisionedClusters() {
        assertThat(LoadErrorQueries.STL_LOAD_ERRORS)
                .isEqualTo(
                        "SELECT TRIM(filename), line_number, TRIM(colname), err_code,"
                                + " TRIM(err_reason) FROM stl_load_errors"
                                + " WHERE session = pg_backend_pid()"
                                + " ORDER BY starttime DESC, filename, line_number LIMIT 100");
        assertThat(LoadErrorQueries.STL_LOAD_ERRORS).doesNotContain("raw_line", "raw_field_value");
    }

    @Test
    void quotedInputValuesAreLeftOutOfMessages() {
        assertThat(
                        ErrorMessages.withoutValues(
                                "ERROR: invalid input syntax for type bigint: \"jane@example.com\""))
                .isEqualTo("ERROR: invalid input syntax for type bigint: \"<value>\"");
    }
}

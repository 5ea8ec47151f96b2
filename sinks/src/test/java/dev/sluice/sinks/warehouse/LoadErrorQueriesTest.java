package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the SQL that asks Redshift why a load failed; there is no Redshift to run it against. */
class LoadErrorQueriesTest {

    @Test
    void stlLoadErrorsIsAskedFirstForTheRowsOfExactlyTheFailedCopy() {
        assertThat(LoadErrorQueries.QUERIES)
                .containsExactly(
                        LoadErrorQueries.STL_LOAD_ERRORS, LoadErrorQueries.SYS_LOAD_ERROR_DETAIL);
        assertThat(LoadErrorQueries.STL_LOAD_ERRORS)
                .isEqualTo(
                        "SELECT TRIM(filename), line_number, TRIM(colname), err_code,"
                                + " TRIM(err_reason) FROM stl_load_errors"
                                + " WHERE query = pg_last_copy_id()"
                                + " ORDER BY filename, line_number LIMIT 100");
        assertThat(LoadErrorQueries.STL_LOAD_ERRORS)
                .doesNotContain("raw_line", "raw_field_value", "pg_backend_pid");
    }

    @Test
    void sysLoadErrorDetailIsTheFallbackForThisSessionsRecentErrorsWithoutRawValues() {
        assertThat(LoadErrorQueries.SYS_LOAD_ERROR_DETAIL)
                .isEqualTo(
                        "SELECT TRIM(file_name), line_number, TRIM(column_name), error_code,"
                                + " TRIM(error_message) FROM sys_load_error_detail"
                                + " WHERE session_id = pg_backend_pid()"
                                + " AND start_time >= DATEADD(day, -1, GETDATE())"
                                + " ORDER BY start_time DESC, file_name, line_number LIMIT 100");
    }

    @Test
    void aSuccessfulCopysRejectedLinesAreReadWithTheirRawLineFromStlOrElseFromSys() {
        assertThat(LoadErrorQueries.STL_LOAD_ERRORS_LISTED)
                .isEqualTo(
                        "SELECT COUNT(*) FROM pg_catalog.pg_class WHERE relname ="
                                + " 'stl_load_errors'");
        assertThat(LoadErrorQueries.stlRejectedLines(101))
                .isEqualTo(
                        "SELECT TRIM(filename), line_number, TRIM(colname), err_code,"
                                + " TRIM(err_reason), RTRIM(raw_line) FROM stl_load_errors"
                                + " WHERE query = pg_last_copy_id()"
                                + " ORDER BY filename, line_number LIMIT 101");
        assertThat(LoadErrorQueries.sysRejectedLines(101))
                .isEqualTo(
                        "SELECT TRIM(file_name), line_number, TRIM(column_name), error_code,"
                                + " TRIM(error_message), NULL FROM sys_load_error_detail"
                                + " WHERE session_id = pg_backend_pid()"
                                + " AND start_time >= DATEADD(day, -1, GETDATE())"
                                + " ORDER BY file_name, line_number LIMIT 101");
    }

    @Test
    void quotedInputValuesAreLeftOutOfMessages() {
        assertThat(
                        ErrorMessages.withoutValues(
                                "ERROR: invalid input syntax for type bigint: \"jane@example.com\""))
                .isEqualTo("ERROR: invalid input syntax for type bigint: \"<value>\"");
    }
}

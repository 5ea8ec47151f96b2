package dev.sluice.sinks.warehouse;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Where and why the warehouse rejected a load: one row of Redshift's {@code sys_load_error_detail}
 * (or {@code stl_load_errors}), or what PostgreSQL says about a failing {@code COPY}.
 *
 * <p>It deliberately has no field for the rejected value or raw line: those may hold personal data,
 * and this detail ends up in logs and in the load-failed error document.
 *
 * @param fileUrl the staged file, when known
 * @param line the 1-based line within the (decompressed) file, or 0 when unknown
 * @param column the target column, when known
 * @param code the warehouse's error code (SQLState or Redshift's {@code err_code})
 * @param message the warehouse's reason, with any quoted input value removed
 */
public record LoadErrorDetail(
        @Nullable String fileUrl,
        long line,
        @Nullable String column,
        @Nullable String code,
        String message)
        implements Serializable {}

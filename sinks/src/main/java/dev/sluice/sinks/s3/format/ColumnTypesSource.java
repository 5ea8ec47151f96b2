package dev.sluice.sinks.s3.format;

import java.io.Serializable;

/**
 * Where an output learns its warehouse table's column types: read once when its encoding function
 * opens (on every task start, so a restart sees a changed table), never per record. The warehouse
 * side implements it; staging only sees this interface.
 */
@FunctionalInterface
public interface ColumnTypesSource extends Serializable {

    /**
     * @throws IllegalStateException with one line saying what is wrong (no such table, a configured
     *     column missing, the warehouse unreachable) and what to do
     */
    ColumnTypes read();
}

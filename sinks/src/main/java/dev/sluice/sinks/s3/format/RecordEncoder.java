package dev.sluice.sinks.s3.format;

import java.io.Serializable;

/**
 * Turns one record's payload (the transform stage's output, JSON for every format but raw JSON
 * lines) into the bytes its output's writer appends: a line for JSON and CSV, a binary Avro datum
 * for Parquet.
 *
 * <p>Conversion happens before the sink, in {@link dev.sluice.sinks.s3.OutputRowFunction}, so a
 * record that cannot be converted becomes an error line instead of failing the writer (and, with
 * it, the job on every restart).
 */
public interface RecordEncoder extends Serializable {

    /**
     * @throws FormatConversionException with a message fit for the error envelope (naming the field
     *     and the problem, never echoing the payload)
     */
    byte[] encode(byte[] payload) throws FormatConversionException;

    /**
     * This encoder, making each value fit its warehouse column as {@link ColumnValues} says, or
     * refusing the record naming the column; called once when the encoding function opens. This
     * default changes nothing: a format whose own schema types its values (Parquet, by its Avro
     * schema) keeps it.
     */
    default RecordEncoder typed(ColumnTypes columns) {
        return this;
    }
}

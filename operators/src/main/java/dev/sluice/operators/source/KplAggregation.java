package dev.sluice.operators.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the Kinesis Producer Library's aggregation format: the magic bytes {@code F3 89 9A C2}, a
 * protobuf {@code AggregatedRecord}, and the MD5 digest of that protobuf as a 16-byte trailer.
 *
 * <h2>Why Sluice has its own reader</h2>
 *
 * <p>The legacy {@code FlinkKinesisConsumer} de-aggregates with the KCL's {@code UserRecord}; the
 * FLIP-27 {@code KinesisStreamsSource} of flink-connector-kinesis 4.3.0 hands each Kinesis record
 * to the deserialization schema as it is. Sluice's FLIP-27 schema de-aggregates with this class, so
 * both source types turn one aggregated record into its user records.
 *
 * <p>Like the KCL, a record that does not carry the magic bytes, whose digest does not match or
 * whose protobuf does not parse is not an aggregated record and is delivered whole. The {@code
 * explicit_hash_key_table} and the records' tags are read past and not used.
 *
 * <pre>
 * message AggregatedRecord {
 *   repeated string partition_key_table     = 1;
 *   repeated string explicit_hash_key_table = 2;
 *   repeated Record records                 = 3;
 * }
 * message Record {
 *   required uint64 partition_key_index     = 1;
 *   optional uint64 explicit_hash_key_index = 2;
 *   required bytes  data                    = 3;
 *   repeated Tag    tags                    = 4;
 * }
 * </pre>
 */
public final class KplAggregation {

    /** The first four bytes of every aggregated record. */
    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};

    private static final int DIGEST_LENGTH = 16;

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;

    /** One user record inside an aggregated record. */
    public record UserRecord(String partitionKey, byte[] data) {}

    private KplAggregation() {}

    /**
     * The user records of {@code record}, in order; empty if {@code record} is not an aggregated
     * record (then it is one user record: itself).
     */
    public static List<UserRecord> deaggregate(byte[] record) {
        if (record.length < MAGIC.length + DIGEST_LENGTH
                || !Arrays.equals(record, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return List.of();
        }
        int end = record.length - DIGEST_LENGTH;
        byte[] digest = md5(record, MAGIC.length, end - MAGIC.length);
        if (!Arrays.equals(digest, 0, DIGEST_LENGTH, record, end, record.length)) {
            return List.of();
        }
        try {
            return parse(new Reader(record, MAGIC.length, end));
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            return List.of();
        }
    }

    private static List<UserRecord> parse(Reader aggregated) {
        List<String> partitionKeys = new ArrayList<>();
        List<Long> keyIndexes = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        while (aggregated.hasMore()) {
            long tag = aggregated.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == WIRE_LENGTH_DELIMITED) {
                partitionKeys.add(new String(aggregated.bytes(), StandardCharsets.UTF_8));
            } else if (field == 3 && wire == WIRE_LENGTH_DELIMITED) {
                Reader record = aggregated.message();
                long keyIndex = -1;
                byte[] data = null;
                while (record.hasMore()) {
                    long recordTag = record.varint();
                    int recordField = (int) (recordTag >>> 3);
                    int recordWire = (int) (recordTag & 7);
                    if (recordField == 1 && recordWire == WIRE_VARINT) {
                        keyIndex = record.varint();
                    } else if (recordField == 3 && recordWire == WIRE_LENGTH_DELIMITED) {
                        data = record.bytes();
                    } else {
                        record.skip(recordWire);
                    }
                }
                if (keyIndex < 0 || data == null) {
                    throw new IllegalArgumentException("record without partition key or data");
                }
                keyIndexes.add(keyIndex);
                datas.add(data);
            } else {
                aggregated.skip(wire);
            }
        }
        if (datas.isEmpty()) {
            throw new IllegalArgumentException("no records");
        }
        List<UserRecord> users = new ArrayList<>(datas.size());
        for (int i = 0; i < datas.size(); i++) {
            long index = keyIndexes.get(i);
            if (index >= partitionKeys.size()) {
                throw new IllegalArgumentException("partition key index out of range");
            }
            users.add(new UserRecord(partitionKeys.get((int) index), datas.get(i)));
        }
        return users;
    }

    private static byte[] md5(byte[] bytes, int offset, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes, offset, length);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** A protobuf wire-format reader over {@code bytes[position, end)}. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int position;

        Reader(byte[] bytes, int position, int end) {
            this.bytes = bytes;
            this.position = position;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        private int length() {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new IllegalArgumentException("length beyond the message");
            }
            return (int) length;
        }

        byte[] bytes() {
            int length = length();
            byte[] out = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }

        Reader message() {
            int length = length();
            Reader inner = new Reader(bytes, position, position + length);
            position += length;
            return inner;
        }

        void skip(int wire) {
            switch (wire) {
                case WIRE_VARINT:
                    varint();
                    break;
                case WIRE_FIXED64:
                    advance(8);
                    break;
                case WIRE_LENGTH_DELIMITED:
                    advance(length());
                    break;
                case WIRE_FIXED32:
                    advance(4);
                    break;
                default:
                    throw new IllegalArgumentException("unsupported wire type " + wire);
            }
        }

        private void advance(int count) {
            if (count > end - position) {
                throw new IllegalArgumentException("field beyond the message");
            }
            position += count;
        }
    }
}

package dev.sluice.localstack;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes records in the Kinesis Producer Library's aggregation format, as the KPL puts them: the
 * magic bytes {@code F3 89 9A C2}, a protobuf {@code AggregatedRecord} (a partition key table and
 * the user records, each naming its key by index), and the MD5 of the protobuf. Written here from
 * the format's description so tests need no KPL (a native binary) to produce such records.
 *
 * <p>Like the KPL, put an aggregated record only with user records that map to one shard: the KCL's
 * de-aggregation, which the legacy Flink consumer uses, drops user records whose partition key
 * hashes outside the range of the shard they were read from. {@link #hashKey} gives the hash.
 */
public final class KplAggregatedRecord {

    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};

    private KplAggregatedRecord() {}

    /**
     * One Kinesis record holding {@code userRecords}; its partition key is the first user record's.
     */
    public static ProducerRecord of(List<ProducerRecord> userRecords) {
        if (userRecords.isEmpty()) {
            throw new IllegalArgumentException("an aggregated record needs a user record");
        }
        List<String> keys = new ArrayList<>();
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (ProducerRecord user : userRecords) {
            int index = keys.indexOf(user.partitionKey());
            if (index < 0) {
                index = keys.size();
                keys.add(user.partitionKey());
            }
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            writeVarint(record, 1 << 3); // partition_key_index, varint
            writeVarint(record, index);
            writeBytes(record, 3, user.data()); // data
            writeBytes(records, 3, record.toByteArray()); // records
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (String key : keys) {
            writeBytes(message, 1, key.getBytes(StandardCharsets.UTF_8)); // partition_key_table
        }
        message.writeBytes(records.toByteArray());
        byte[] protobuf = message.toByteArray();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.writeBytes(protobuf);
        out.writeBytes(md5(protobuf));
        return new ProducerRecord(userRecords.get(0).partitionKey(), out.toByteArray());
    }

    /** The 128-bit hash key Kinesis derives from a partition key: its MD5 as an unsigned number. */
    public static BigInteger hashKey(String partitionKey) {
        return new BigInteger(1, md5(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }

    private static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes) {
        writeVarint(out, (field << 3) | 2);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}

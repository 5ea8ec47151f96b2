package com.example.sluice;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RedactCardNumbersTransformTest {

    private final RedactCardNumbersTransform transform = new RedactCardNumbersTransform();

    @Test
    void cardNumbersKeepOnlyTheirLastFourDigits() {
        TransformResult result =
                transform.transform(
                        record("{\"user\":\"u1\",\"card\":\"4111 1111-1111 1111\",\"qty\":12}"));
        TransformResult.Ok ok = assertInstanceOf(TransformResult.Ok.class, result);
        assertEquals(
                "{\"user\":\"u1\",\"card\":\"****1111\",\"qty\":12}",
                new String(ok.data(), StandardCharsets.UTF_8));
    }

    @Test
    void blankRecordsAreDropped() {
        assertInstanceOf(TransformResult.Dropped.class, transform.transform(record("  \n")));
    }

    @Test
    void bytesThatAreNotUtf8FailTheRecord() {
        SluiceRecord notUtf8 = record("x");
        notUtf8.setData(new byte[] {(byte) 0xC3, (byte) 0x28});
        TransformResult.ProcessingFailed failed =
                assertInstanceOf(
                        TransformResult.ProcessingFailed.class, transform.transform(notUtf8));
        assertEquals(RedactCardNumbersTransform.NOT_UTF8, failed.errorCode());
    }

    private static SluiceRecord record(String payload) {
        return new SluiceRecord(
                payload.getBytes(StandardCharsets.UTF_8),
                "clicks",
                "shardId-000000000000",
                "pk",
                "49590338271490256608559692538361571095921575989136588898",
                1_700_000_000_000L);
    }
}

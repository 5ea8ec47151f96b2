package dev.sluice.operators.transform;

import dev.sluice.operators.record.TestRecords;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChainedTransformTest {

    @Test
    void eachStepSeesThePreviousStepsPayloadAndKeysAreMerged() throws Exception {
        ChainedTransform chain =
                new ChainedTransform(
                        List.of(
                                r ->
                                        TransformResult.ok(
                                                bytes(TestRecords.text(r) + "b"), Map.of("k", "1")),
                                r ->
                                        TransformResult.ok(
                                                bytes(TestRecords.text(r) + "c"),
                                                Map.of("j", "2"))));

        TransformResult result = chain.transform(TestRecords.of(bytes("a")));

        assertThat(result).isEqualTo(TransformResult.ok(bytes("abc"), Map.of("k", "1", "j", "2")));
    }

    @Test
    void theFirstDropOrFailureEndsTheChain() throws Exception {
        List<String> ran = new ArrayList<>();
        ChainedTransform chain =
                new ChainedTransform(
                        List.of(
                                r -> {
                                    ran.add("first");
                                    return TransformResult.processingFailed("X", "no");
                                },
                                r -> {
                                    ran.add("second");
                                    return TransformResult.ok();
                                }));

        assertThat(chain.transform(TestRecords.of(bytes("a"))))
                .isEqualTo(TransformResult.processingFailed("X", "no"));
        assertThat(ran).containsExactly("first");
    }

    @Test
    void aStepWithoutAnOutcomeFailsTheRecord() throws Exception {
        ChainedTransform chain =
                new ChainedTransform(List.of(r -> TransformResult.ok(), r -> null));

        assertThat(chain.transform(TestRecords.of(bytes("a"))))
                .isInstanceOfSatisfying(
                        TransformResult.ProcessingFailed.class,
                        f -> assertThat(f.errorCode()).isEqualTo(ErrorCodes.NO_OUTCOME));
    }

    @Test
    void anEmptyChainKeepsThePayload() throws Exception {
        assertThat(new ChainedTransform(List.of()).transform(TestRecords.of(bytes("a"))))
                .isEqualTo(TransformResult.ok());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

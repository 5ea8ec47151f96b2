package dev.sluice.operators.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payload factory recycles its parsers' buffers through one recycler it holds rather than a
 * thread-local: the same buffer comes back to the next parser on any thread, parsers running at
 * once never share one, and copies and serialized factories keep the behaviour.
 */
class SharedRecyclerJsonFactoryTest {

    @Test
    void parsersOnDifferentThreadsUseTheFactorysRecycler() throws Exception {
        BufferRecycler own = JsonPayloads.JSON._getBufferRecycler();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(JsonPayloads.JSON::_getBufferRecycler).get()).isSameAs(own);
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aClosedParsersBufferGoesToTheNextParser() throws IOException {
        JsonFactory factory = JsonPayloads.JSON;
        char[] first = readNameBuffer(factory, "{\"a\":\"x\"}");
        char[] second = readNameBuffer(factory, "{\"b\":\"y\"}");
        assertThat(second).isSameAs(first);
    }

    @Test
    void parsersRunningAtOnceOnManyThreadsReadTheirOwnValues() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> mismatches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                mismatches.add(
                        pool.submit(
                                () -> {
                                    int wrong = 0;
                                    for (int i = 0; i < perThread; i++) {
                                        String expected = "t" + thread + "-record-" + i;
                                        if (!expected.equals(valueOf(expected))) {
                                            wrong++;
                                        }
                                    }
                                    return wrong;
                                }));
            }
            for (Future<Integer> wrong : mismatches) {
                assertThat(wrong.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void copiesAndSerializedFactoriesHoldARecyclerOfTheirOwn() throws Exception {
        JsonFactory copy = JsonPayloads.JSON.copy();
        JsonFactory restored =
                InstantiationUtil.clone(JsonPayloads.JSON, getClass().getClassLoader());
        for (JsonFactory factory : List.of(copy, restored)) {
            assertThat(factory).isInstanceOf(SharedRecyclerJsonFactory.class);
            assertThat(factory._getBufferRecycler())
                    .isSameAs(factory._getBufferRecycler())
                    .isNotSameAs(JsonPayloads.JSON._getBufferRecycler());
        }
        JsonMapper mapper = JsonPayloads.mapper().build();
        assertThat(mapper.getFactory()).isInstanceOf(SharedRecyclerJsonFactory.class);
    }

    /** The value of the one field of {"v": value}, read from bytes as payloads are. */
    private static String valueOf(String value) throws IOException {
        byte[] json = ("{\"v\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8);
        try (JsonParser parser = JsonPayloads.JSON.createParser(json)) {
            parser.nextToken();
            parser.nextToken();
            JsonToken token = parser.nextToken();
            return token == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
    }

    /** The name-copy buffer a parser used, taken back after it was closed. */
    private static char[] readNameBuffer(JsonFactory factory, String json) throws IOException {
        try (JsonParser parser = factory.createParser(json)) {
            while (parser.nextToken() != null) {
                parser.getText();
            }
        }
        BufferRecycler recycler = factory._getBufferRecycler();
        char[] buffer = recycler.allocCharBuffer(BufferRecycler.CHAR_TOKEN_BUFFER);
        recycler.releaseCharBuffer(BufferRecycler.CHAR_TOKEN_BUFFER, buffer);
        return buffer;
    }
}

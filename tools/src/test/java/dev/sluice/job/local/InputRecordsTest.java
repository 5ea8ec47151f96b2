package dev.sluice.job.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputRecordsTest {

    @Test
    void eachLineIsOneRecordAndB64LinesCarryArbitraryBytes(@TempDir Path dir) throws Exception {
        String text =
                "{\"a\":1}\r\n"
                        + "\n"
                        + "b64:"
                        + Base64.getEncoder().encodeToString(new byte[] {'x', '\n', (byte) 0xff})
                        + "\nnot json\n";
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        byte[] withRawLatin1 = new byte[content.length + 2];
        System.arraycopy(content, 0, withRawLatin1, 0, content.length);
        withRawLatin1[content.length] = (byte) 0xe9;
        withRawLatin1[content.length + 1] = '\n';
        Path file = dir.resolve("input.txt");
        Files.write(file, withRawLatin1);

        List<byte[]> records = InputRecords.read(file);

        assertThat(records)
                .containsExactly(
                        "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                        new byte[] {'x', '\n', (byte) 0xff},
                        "not json".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xe9});
    }

    @Test
    void badBase64NamesTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("input.txt");
        Files.writeString(file, "ok\nb64:***\n");

        assertThatThrownBy(() -> InputRecords.read(file)).hasMessageContaining("line 2");
    }
}

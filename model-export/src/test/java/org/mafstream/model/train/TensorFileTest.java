package org.mafstream.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.weights.TensorFile;

class TensorFileTest {
    @TempDir
    Path dir;

    private static TensorFile sample() {
        Map<String, TensorFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.lora_A", new TensorFile.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f}));
        tensors.put("b.bias", new TensorFile.Tensor(new long[] {2}, new float[] {Float.MIN_VALUE, -0f}));
        return new TensorFile(tensors, new ObjectMapper().createObjectNode().put("rank", 2));
    }

    @Test
    void writesAndReadsBackEveryTensorAndTheMetadata() throws IOException {
        sample().write(dir, "adapters");
        TensorFile read = TensorFile.read(dir, "adapters");
        assertThat(read.tensors().keySet()).containsExactly("a.lora_A", "b.bias");
        assertThat(read.read("a.lora_A", new long[] {2, 3})).containsExactly(1, 2, 3, 4, 5, -6.5f);
        assertThat(read.read("b.bias", new long[] {2})).containsExactly(Float.MIN_VALUE, -0f);
        assertThat(read.metadata().path("rank").asInt()).isEqualTo(2);
        assertThat(read.sha256()).isEqualTo(sample().sha256());
    }

    @Test
    void aDamagedBinaryOrAWrongShapeIsRefused() throws IOException {
        sample().write(dir, "adapters");
        assertThatThrownBy(() -> TensorFile.read(dir, "adapters").read("a.lora_A", new long[] {3, 2}))
                .hasMessageContaining("has shape [2, 3]");
        byte[] bytes = Files.readAllBytes(dir.resolve("adapters.bin"));
        bytes[5] ^= 1;
        Files.write(dir.resolve("adapters.bin"), bytes);
        assertThatThrownBy(() -> TensorFile.read(dir, "adapters")).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged or from another run");
    }
}

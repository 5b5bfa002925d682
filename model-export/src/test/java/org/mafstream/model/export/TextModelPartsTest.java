package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.bundle.Sha256;
import org.mafstream.model.export.FineTuneCommand;
import org.mafstream.model.weights.HeadParameters;
import org.mafstream.model.weights.TensorFile;

/** A fine-tuned model's heads and adapters are read as a pair, and a pair from two runs is refused. */
class TextModelPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS = List.of("PAD", "O", "X");

    @TempDir
    Path dir;

    @Test
    void headsAndTheirAdaptersAreReadTogether() throws IOException {
        TensorFile adapters = adapters(0.5f);
        write(adapters, adapters.sha256());
        TextModelParts parts = TextModelParts.read(dir);
        assertThat(parts.adapters().plan().rank()).isEqualTo(4);
        assertThat(parts.adapters().plan().alpha()).isEqualTo(8f);
        assertThat(parts.sources()).hasSize(2);
        assertThat(parts.sha256()).isNotEqualTo(parts.heads().sha256());
    }

    @Test
    void adaptersOfAnotherRunAreRefused() throws IOException {
        write(adapters(0.25f), adapters(0.5f).sha256());
        assertThatThrownBy(() -> TextModelParts.read(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("but the heads were trained with");
    }

    @Test
    void fineTunedHeadsWithoutTheirAdaptersAreRefused() throws IOException {
        heads(adapters(0.5f).sha256()).write(dir);
        assertThatThrownBy(() -> TextModelParts.read(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("no adapters.json");
    }

    private void write(TensorFile adapters, String recordedSha) throws IOException {
        adapters.write(dir, FineTuneCommand.ADAPTERS);
        heads(recordedSha).write(dir);
    }

    private static HeadParameters heads(String adaptersSha) throws IOException {
        ObjectNode training = JSON.createObjectNode().put(FineTuneCommand.ADAPTERS + "Sha256", adaptersSha);
        return HeadParameters.of(LABELS, 2, new float[] {1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0}, new float[3], new float[3],
                new float[3], new float[9], training);
    }

    private static TensorFile adapters(float value) {
        ObjectNode record = JSON.createObjectNode();
        record.putObject("hyperParameters").put("mode", "LORA").put("rank", 4).put("alpha", 8.0);
        return new TensorFile(Map.of("bert.encoder.layer.0.attention.self.query.lora_B",
                new TensorFile.Tensor(new long[] {1, 1}, new float[] {value})), record);
    }
}

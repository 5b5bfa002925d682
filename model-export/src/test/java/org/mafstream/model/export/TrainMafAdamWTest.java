package org.mafstream.model.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.testing.Fixtures;

/**
 * train-maf's second optimiser mode: AdamW with LoRA adapters on BERT's projections. The written
 * checkpoint has the original's keys only, the adapters folded into the weights they cover; what
 * the mode does not train (the word embeddings, the never-called self-attention) is unchanged.
 */
class TrainMafAdamWTest {
    @TempDir
    Path dir;

    @Test
    void adaptersAreFoldedIntoTheWrittenWeights() throws Exception {
        Engine.getEngine("TensorFlow");
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 2; i++) {
            Files.copy(Fixtures.mafTiny().resolve("image_" + i + ".png"), images.resolve("image_" + i + ".jpg"));
        }
        Path posts = Files.writeString(dir.resolve("posts.txt"),
                "IMGID:image_0\nMüller\tB-PER\nvisits\tO\nZürich\tB-LOC\n\nIMGID:image_1\nApple\tB-ORG\nopens\tO\n\n");
        Path out = dir.resolve("trained");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int status = ModelExport.run(new String[] {"train-maf", "--train", posts.toString(), "--valid", posts.toString(),
                "--images", images.toString(), "--init", Fixtures.mafTiny().toString(), "--out", out.toString(),
                "--optimiser", "adamw", "--epochs", "2", "--batch", "2", "--negative-rate", "0"},
                new PrintStream(log, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).as(log.toString(StandardCharsets.UTF_8)).isZero();
        try (TorchCheckpoint trained = TorchCheckpoint.open(out.resolve("pytorch_model.bin"));
             TorchCheckpoint original = TorchCheckpoint.open(Fixtures.mafTiny().resolve("pytorch_model.bin"))) {
            assertThat(trained.keys()).containsExactlyElementsOf(original.keys());
            for (String changed : new String[] {"bert.encoder.layer.0.attention.self.query.weight", "classifier.weight",
                    "txt2img_attention.layer.0.attention.self.query.weight", "bert.embeddings.LayerNorm.bias"}) {
                assertThat(trained.readFloats(changed)).as(changed).isNotEqualTo(original.readFloats(changed));
            }
            for (String unchanged : new String[] {"bert.embeddings.word_embeddings.weight",
                    "self_attention.layer.0.attention.self.query.weight"}) {
                assertThat(trained.readFloats(unchanged)).as(unchanged).isEqualTo(original.readFloats(unchanged));
            }
        }
        assertThat(Files.readString(out.resolve("training.json"))).contains("adamw optimiser");
    }
}

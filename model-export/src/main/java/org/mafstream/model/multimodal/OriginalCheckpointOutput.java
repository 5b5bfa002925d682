package org.mafstream.model.multimodal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.mafstream.model.checkpoint.TorchCheckpointWriter;
import org.mafstream.model.graph.LoraMergedWeights;
import org.mafstream.model.graph.LowRankAdapters;
import org.mafstream.model.weights.TensorFile;
import org.mafstream.model.weights.WeightSource;

/**
 * A trained MAF written as the original training code writes its best epoch (run_gate_cl.py:890-905):
 * {@code pytorch_model.bin}, {@code pytorch_encoder.bin} (with the drifted BatchNorm statistics and
 * {@code num_batches_tracked}), {@code config.json} and {@code model_config.json}, so that
 * {@code model-export export} turns it into a bundle and the original code loads it.
 */
public final class OriginalCheckpointOutput {
    public static final String MODEL = "pytorch_model.bin";
    public static final String ENCODER = "pytorch_encoder.bin";
    public static final String CONFIG = "config.json";
    public static final String MODEL_CONFIG = "model_config.json";

    private OriginalCheckpointOutput() {}

    /**
     * @param modelLayout every key of the model file, in order
     * @param initial the weights the run started from (every key that did not train keeps them)
     * @param kept the kept epoch's snapshot: trained weights, adapters, the encoder's running statistics
     * @param adapters the adapters the run trained (folded into the weights they cover), or NONE
     * @param encoderLayout every key of the encoder file, in order ({@code resnet.*}; {@code num_batches_tracked} int64)
     * @param initialEncoder the encoder's weights and the statistics it started from
     */
    public static void write(Path out, List<MafStateDict.Entry> modelLayout, WeightSource initial, TensorFile kept,
                             LowRankAdapters adapters, List<MafStateDict.Entry> encoderLayout, WeightSource initialEncoder,
                             String configJson, String modelConfigJson) throws IOException {
        Files.createDirectories(out);
        WeightSource trained = (key, shape) -> kept.contains(key) ? kept.read(key, shape) : initial.read(key, shape);
        WeightSource model = adapters == LowRankAdapters.NONE ? trained : new LoraMergedWeights(trained, kept, adapters);
        TorchCheckpointWriter.write(out.resolve(MODEL), writer -> {
            for (MafStateDict.Entry entry : modelLayout) {
                writer.addFloats(entry.key(), entry.shape(), model.read(entry.key(), entry.shape()));
            }
        });
        long batches = MafTraining.batchesTracked(kept);
        Set<String> statistics = kept.tensors().keySet();
        TorchCheckpointWriter.write(out.resolve(ENCODER), writer -> {
            for (MafStateDict.Entry entry : encoderLayout) {
                if (entry.key().endsWith(".num_batches_tracked")) {
                    writer.addLongs(entry.key(), new long[0], new long[] {batches});
                } else {
                    writer.addFloats(entry.key(), entry.shape(), statistics.contains(entry.key())
                            ? kept.read(entry.key(), entry.shape()) : initialEncoder.read(entry.key(), entry.shape()));
                }
            }
        });
        Files.writeString(out.resolve(CONFIG), configJson);
        Files.writeString(out.resolve(MODEL_CONFIG), modelConfigJson);
    }
}

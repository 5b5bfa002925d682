package org.mafstream.model.multimodal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.model.testing.Npz;
import org.mafstream.model.weights.WeightSource;

/**
 * The training-step golden of testdata/fixtures/maf-tiny-train (one step of the original
 * training code on maf-tiny's 4 examples and images) and the batch it was made from.
 */
final class TrainGolden {
    static final int B = 4;
    static final int L = 128;
    static final int CHANNELS = 256;

    private TrainGolden() {}

    static Map<String, Npz.Array> arrays() throws IOException {
        return Npz.read(Fixtures.testdata().resolve("fixtures/maf-tiny-train/train_golden.npz"));
    }

    static Path mafTiny(String file) {
        return Fixtures.mafTiny().resolve(file);
    }

    /** A checkpoint of the fixture as a weight source (open until the JVM ends: tests only). */
    static WeightSource weights(String file) throws IOException {
        TorchCheckpoint checkpoint = TorchCheckpoint.open(mafTiny(file));
        return checkpoint::readFloats;
    }

    /** The golden's batch: its token ids and CRF targets over the real positions, its train-mode image features. */
    static MafTrainingGraph.Batch batch(Map<String, Npz.Array> golden, Negatives negatives) {
        int[] ids = golden.get("input_ids").ints();
        int[] mask = golden.get("input_mask").ints();
        int[] labels = golden.get("label_ids").ints();
        int[][] tokenIds = new int[B][];
        int[][] gold = new int[B][];
        for (int b = 0; b < B; b++) {
            int n = 0;
            while (n < L && mask[b * L + n] == 1) {
                n++;
            }
            tokenIds[b] = Arrays.copyOfRange(ids, b * L, b * L + n);
            gold[b] = Arrays.copyOfRange(labels, b * L, b * L + n);
        }
        return new MafTrainingGraph.Batch(tokenIds, gold, regions(golden.get("img_att").floats()),
                golden.get("imgs_f").floats(), negatives);
    }

    /** img_att [B, C, 7, 7] (PyTorch's layout) as regions [B, 49, C], region r = 7·row + column. */
    static float[] regions(float[] nchw) {
        float[] regions = new float[nchw.length];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int r = 0; r < 49; r++) {
                    regions[(b * 49 + r) * CHANNELS + c] = nchw[(b * CHANNELS + c) * 49 + r];
                }
            }
        }
        return regions;
    }
}

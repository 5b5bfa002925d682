package org.mafstream.model.export;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mafstream.model.arch.ResNetShape;
import org.mafstream.model.checkpoint.CheckpointException;
import org.mafstream.model.checkpoint.TorchCheckpoint;

/**
 * Reads the ResNet's shape off an encoder checkpoint (blocks per stage from the keys, widths from
 * the first conv of each stage), so a ResNet-152 and a shrunken test ResNet export alike.
 */
final class ResNetShapes {
    private static final Pattern BLOCK_KEY = Pattern.compile("resnet\\.layer([1-4])\\.(\\d+)\\.conv1\\.weight");

    private ResNetShapes() {}

    static ResNetShape infer(TorchCheckpoint encoder) throws CheckpointException {
        int[] blocks = new int[4];
        for (String key : encoder.keys()) {
            Matcher m = BLOCK_KEY.matcher(key);
            if (m.matches()) {
                int stage = Integer.parseInt(m.group(1)) - 1;
                blocks[stage] = Math.max(blocks[stage], Integer.parseInt(m.group(2)) + 1);
            }
        }
        int[] planes = new int[4];
        for (int s = 0; s < 4; s++) {
            if (blocks[s] == 0) {
                throw new CheckpointException(encoder.file(), "no blocks of resnet.layer" + (s + 1)
                        + " (is this a MAF encoder checkpoint, keys resnet.*?)");
            }
            planes[s] = (int) encoder.info("resnet.layer" + (s + 1) + ".0.conv1.weight").shape()[0];
        }
        int stem = (int) encoder.info("resnet.conv1.weight").shape()[0];
        return new ResNetShape(stem, blocks, planes, 1e-5);
    }
}

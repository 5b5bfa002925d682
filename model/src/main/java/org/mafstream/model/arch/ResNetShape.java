package org.mafstream.model.arch;

import java.util.Arrays;

/**
 * A bottleneck ResNet as the original {@code resnet/resnet.py} builds it: a 64-channel 7x7 stem,
 * then four stages of bottleneck blocks (expansion 4) with strides 1, 2, 2, 2. MAF consumes
 * layer4's 7x7 map of {@link #outputChannels()} channels as 49 regions.
 */
public record ResNetShape(int stemChannels, int[] blocksPerStage, int[] planes, double bnEps) {
    public static final int EXPANSION = 4;
    public static final int[] STRIDES = {1, 2, 2, 2};

    public ResNetShape {
        if (blocksPerStage.length != 4 || planes.length != 4) {
            throw new IllegalArgumentException("a ResNet has 4 stages, got blocks " + Arrays.toString(blocksPerStage)
                    + " and planes " + Arrays.toString(planes));
        }
        blocksPerStage = blocksPerStage.clone();
        planes = planes.clone();
    }

    /** ResNet-152, the encoder of MAF: 2048 output channels. */
    public static final ResNetShape RESNET_152 = new ResNetShape(64, new int[] {3, 8, 36, 3}, new int[] {64, 128, 256, 512}, 1e-5);

    /** The shrunken ResNet of the maf-tiny test fixture: 256 output channels. */
    public static final ResNetShape TINY = new ResNetShape(64, new int[] {1, 2, 1, 1}, new int[] {8, 16, 32, 64}, 1e-5);

    public int outputChannels() {
        return planes[3] * EXPANSION;
    }

    /** Input channels of stage {@code s}'s first block. */
    public int stageInputChannels(int s) {
        return s == 0 ? stemChannels : planes[s - 1] * EXPANSION;
    }

    @Override
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    @Override
    public int[] planes() {
        return planes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetShape other && stemChannels == other.stemChannels
                && Arrays.equals(blocksPerStage, other.blocksPerStage) && Arrays.equals(planes, other.planes)
                && bnEps == other.bnEps;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(blocksPerStage) + Arrays.hashCode(planes);
    }

    @Override
    public String toString() {
        return "ResNet(blocks=" + Arrays.toString(blocksPerStage) + ", planes=" + Arrays.toString(planes)
                + ", out=" + outputChannels() + ")";
    }
}

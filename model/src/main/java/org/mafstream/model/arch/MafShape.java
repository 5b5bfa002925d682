package org.mafstream.model.arch;

/**
 * Everything that sizes a MAF model. The sequence length is fixed at 128 because the matching
 * classifier reads all 128 positions; the image at 224x224, which gives layer4's 7x7 = 49 regions.
 */
public record MafShape(BertShape bert, ResNetShape resnet, int numLabels) {
    public static final int MAX_SEQ_LENGTH = 128;
    public static final int IMAGE_SIZE = 224;
    public static final int REGIONS = 49;

    public static final MafShape BASE = new MafShape(BertShape.BASE_CASED, ResNetShape.RESNET_152, 13);
    public static final MafShape TINY = new MafShape(BertShape.TINY, ResNetShape.TINY, 13);

    /** Input width of {@code crs_classifier}: concat(S, cross) flattened over all 128 positions. */
    public int matchingFeatures() {
        return MAX_SEQ_LENGTH * 2 * bert.hiddenSize();
    }
}

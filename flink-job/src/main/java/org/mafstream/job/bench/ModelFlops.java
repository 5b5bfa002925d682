package org.mafstream.job.bench;

import org.mafstream.model.arch.BertShape;
import org.mafstream.model.arch.MafShape;
import org.mafstream.model.arch.ResNetShape;

/**
 * Floating-point work of MAF's parts, counting the matrix products and convolutions only
 * (2 FLOPs per multiply-add; the element-wise ops are a few percent on top), so that every
 * throughput can be read as a fraction of the machine's MatMul peak.
 */
public final class ModelFlops {
    private ModelFlops() {}

    /** One BERT sequence of {@code length} positions, all layers. */
    static double bert(BertShape bert, int length) {
        double h = bert.hiddenSize();
        double perLayer = 4 * h * h * length + 2 * h * bert.intermediateSize() * length + 2.0 * length * length * h;
        return 2 * bert.numLayers() * perLayer;
    }

    /** MAF's layers after BERT for one post: region projection, cross attention, matching, gate, classifier. */
    static double heads(MafShape shape) {
        double h = shape.bert().hiddenSize();
        int t = MafShape.MAX_SEQ_LENGTH;
        int r = MafShape.REGIONS;
        double projection = r * shape.resnet().outputChannels() * h;
        double cross = 2 * h * h * t + 2 * h * h * r + 2.0 * t * r * h + 2 * h * shape.bert().intermediateSize() * t;
        double gateAndClassifier = 2 * h * h * t + 2 * h * shape.numLabels() * t;
        return 2 * (projection + cross + shape.matchingFeatures() * 2.0 + gateAndClassifier);
    }

    /** One image through the ResNet at 224x224 (stem, bottlenecks with their downsampling convolutions). */
    static double resnet(ResNetShape shape) {
        int size = MafShape.IMAGE_SIZE / 2; // after the stride-2 stem
        double macs = (double) size * size * 7 * 7 * 3 * shape.stemChannels();
        size /= 2; // max pool
        int[] blocks = shape.blocksPerStage();
        int[] planes = shape.planes();
        for (int stage = 0; stage < 4; stage++) {
            int out = planes[stage] * ResNetShape.EXPANSION;
            for (int block = 0; block < blocks[stage]; block++) {
                int in = block == 0 ? shape.stageInputChannels(stage) : out;
                int inSize = size;
                if (block == 0) {
                    size /= ResNetShape.STRIDES[stage];
                }
                macs += (double) inSize * inSize * in * planes[stage];          // 1x1 reduce
                macs += (double) size * size * 9 * planes[stage] * planes[stage]; // 3x3 (strided in block 0)
                macs += (double) size * size * planes[stage] * out;             // 1x1 expand
                if (block == 0) {
                    macs += (double) size * size * in * out;                    // downsample
                }
            }
        }
        return 2 * macs;
    }

    /** One post through the full MAF: image, BERT at 128 positions, heads. */
    static double post(MafShape shape) {
        return resnet(shape.resnet()) + bert(shape.bert(), MafShape.MAX_SEQ_LENGTH) + heads(shape);
    }
}

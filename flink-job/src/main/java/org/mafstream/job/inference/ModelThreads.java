package org.mafstream.job.inference;

import java.io.Serializable;
import java.util.Base64;
import java.util.StringJoiner;
import org.tensorflow.proto.framework.ConfigProto;
import org.tensorflow.proto.framework.GPUOptions;

/**
 * TensorFlow's thread pools for each model session. Our graphs are chains of large ops, so
 * one op at a time using every core (intra-op) beats several ops sharing them (inter-op): two
 * MatMuls side by side each get half the cores and both lose their cache. On CPU the image and
 * text models also take turns ({@link LoadedBundle}), so the cores are never oversubscribed.
 *
 * @param intraOp threads inside one op; 0: one per available core
 * @param interOp ops run side by side; 0: TensorFlow's default (one per core)
 */
public record ModelThreads(int intraOp, int interOp) implements Serializable {
    public static final ModelThreads DEFAULT = new ModelThreads(0, 1);

    public ModelThreads {
        if (intraOp < 0 || interOp < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0 (0: TensorFlow's default), got intra-op "
                    + intraOp + ", inter-op " + interOp);
        }
    }

    /** intra-op threads actually used. */
    public int effectiveIntraOp() {
        return intraOp == 0 ? Runtime.getRuntime().availableProcessors() : intraOp;
    }

    /**
     * The session configuration as DJL's TensorFlow engine takes it (option "ConfigProto", base64).
     * It replaces DJL's own, so it also carries what DJL would have set: every GPU visible
     * (DJL picks the device) and soft placement for ops without a GPU kernel.
     */
    String configProtoOption() {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(effectiveIntraOp())
                .setInterOpParallelismThreads(interOp)
                .setAllowSoftPlacement(true);
        int gpus = ModelDevice.detectedGpus();
        if (gpus > 0) {
            StringJoiner visible = new StringJoiner(",");
            for (int i = 0; i < gpus; i++) {
                visible.add(Integer.toString(i));
            }
            config.setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList(visible.toString()));
        }
        return Base64.getEncoder().encodeToString(config.build().toByteArray());
    }
}

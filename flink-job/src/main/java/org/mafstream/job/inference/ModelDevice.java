package org.mafstream.job.inference;

import ai.djl.util.cuda.CudaUtils;
import java.util.List;

/**
 * Which device runs the model, said in one line for the tools' output. GPUs are counted once per
 * JVM: every count asks the CUDA runtime, and on a machine without a driver each ask logs DJL's
 * "Failed to detect GPU count" warning (the project's log configurations silence that logger).
 */
public final class ModelDevice {
    private static volatile Integer detected;

    private ModelDevice() {}

    /** GPUs the CUDA runtime reports; 0 without a driver or CUDA libraries. */
    public static int detectedGpus() {
        Integer count = detected;
        if (count == null) {
            count = Math.max(0, CudaUtils.getGpuCount());
            detected = count;
        }
        return count;
    }

    /** e.g. "CPU (16 cores; no GPU detected)" or "GPU 0 (of 2 detected)", for {@code model.gpu-ids}. */
    public static String describe(List<Integer> gpuIds) {
        int gpus = detectedGpus();
        if (gpuIds.isEmpty()) {
            return "CPU (" + Runtime.getRuntime().availableProcessors() + " cores; "
                    + (gpus == 0 ? "no GPU detected" : gpus + " GPU(s) detected, unused: set model.gpu-ids") + ")";
        }
        return "GPU " + gpuIds.get(0) + " (of " + gpus + " detected)";
    }
}

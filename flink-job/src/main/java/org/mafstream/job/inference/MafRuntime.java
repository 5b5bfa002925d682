package org.mafstream.job.inference;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mafstream.model.bundle.BundleManifest;

/**
 * A loaded bundle behind two micro-batchers: images (image_regions) and texts (maf) are batched
 * separately, so a caller can cache regions per image and posts without images still batch.
 */
public final class MafRuntime implements AutoCloseable {
    private final LoadedBundle bundle;
    private final MicroBatcher<Predictor<NDList, NDList>, float[], float[]> images;
    private final MicroBatcher<Predictor<NDList, NDList>, TextInput, TextScores> texts;
    private final List<BatchListener> imageListeners = new CopyOnWriteArrayList<>();
    private final List<BatchListener> textListeners = new CopyOnWriteArrayList<>();

    private MafRuntime(LoadedBundle bundle, InferenceSettings settings) {
        this.bundle = bundle;
        this.images = new MicroBatcher<>("image_regions", settings.maxBatchSize(), settings.maxBatchDelay(),
                settings.queueCapacity(), settings.workers(), bundle::newImagePredictor, bundle::encodeImages,
                (size, wait, run, failed) -> imageListeners.forEach(l -> l.onBatch(size, wait, run, failed)),
                image -> 0, key -> bundle.probeImage());
        // Texts are batched by the sequence length they run at (one length for a full MAF).
        this.texts = new MicroBatcher<>("maf", settings.maxBatchSize(), settings.maxBatchDelay(),
                settings.queueCapacity(), settings.workers(), bundle::newTextPredictor, bundle::scoreTexts,
                (size, wait, run, failed) -> textListeners.forEach(l -> l.onBatch(size, wait, run, failed)),
                text -> bundle.sequenceLengthFor(text.tokens()), length -> new TextInput(bundle.probeText(length), null));
    }

    public static MafRuntime start(InferenceSettings settings) throws IOException {
        return new MafRuntime(LoadedBundle.load(settings), settings);
    }

    /**
     * Also reports every image and text batch to these listeners (e.g. one subtask's metrics)
     * until the returned handle is closed. The runtime is shared, so each listener sees all batches
     * of this JVM.
     */
    public AutoCloseable listen(BatchListener image, BatchListener text) {
        imageListeners.add(image);
        textListeners.add(text);
        return () -> {
            imageListeners.remove(image);
            textListeners.remove(text);
        };
    }

    public BundleManifest manifest() {
        return bundle.manifest();
    }

    public LoadedBundle bundle() {
        return bundle;
    }

    /** The 49 regions of one preprocessed image ([size, size, 3] NHWC, normalized). */
    public CompletableFuture<float[]> encodeImage(float[] pixels) throws InterruptedException {
        return images.submit(pixels);
    }

    /** Scores for one text; {@code regions} null means the post has no usable image. */
    public CompletableFuture<TextScores> scoreText(TokenInput tokens, float[] regions) throws InterruptedException {
        return texts.submit(new TextInput(tokens, regions));
    }

    /** How long the longest model call now running has taken (0: none runs); see {@link MicroBatcher#longestRunningCallNanos}. */
    public long longestRunningCallNanos() {
        return Math.max(images.longestRunningCallNanos(), texts.longestRunningCallNanos());
    }

    /** Stops both batchers (queued items run for up to {@code drainTimeout}, then fail) and unloads the model. */
    public void close(Duration drainTimeout) {
        texts.close(drainTimeout);
        images.close(drainTimeout);
        bundle.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}

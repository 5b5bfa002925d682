package org.mafstream.job.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model bundle loaded through DJL's TensorFlow engine: the image SavedModel (image_regions) and
 * the text SavedModel (maf), each loaded once, plus the regions of a neutral image that stand in
 * for posts without a usable image. Batch methods take the calling worker's own predictor. A
 * text-only bundle (image branch disabled) has no image model: every image's regions are zeros,
 * which its text model ignores by construction (retain score 0).
 */
public final class LoadedBundle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedBundle.class);

    private final BundleManifest manifest;
    private final ZooModel<NDList, NDList> imageModel;
    private final ZooModel<NDList, NDList> textModel;
    private final int sequenceLength;
    private final int numLabels;
    private final int regionsLength;
    private final int pixelsLength;
    private final MafTextEncoder textEncoder;
    /** On CPU, model calls take turns: each uses every core, two side by side would oversubscribe them. */
    private final ReentrantLock cpuTurn;
    private final boolean textLengthBuckets;
    private float[] neutralRegions;

    private LoadedBundle(BundleManifest manifest, ZooModel<NDList, NDList> imageModel,
                         ZooModel<NDList, NDList> textModel, MafTextEncoder textEncoder, ReentrantLock cpuTurn,
                         boolean textLengthBuckets) {
        this.textEncoder = textEncoder;
        this.textLengthBuckets = textLengthBuckets;
        this.cpuTurn = cpuTurn;
        this.manifest = manifest;
        this.imageModel = imageModel;
        this.textModel = textModel;
        this.sequenceLength = manifest.maxSeqLength();
        this.numLabels = manifest.labels().size();
        this.regionsLength = manifest.image().regions() * manifest.image().regionChannels();
        this.pixelsLength = manifest.image().size() * manifest.image().size() * 3;
    }

    public static LoadedBundle load(InferenceSettings settings) throws IOException {
        Path dir = Path.of(settings.bundleDir());
        BundleManifest manifest = BundleManifest.read(dir);
        MafTextEncoder textEncoder = new MafTextEncoder(
                Vocabulary.load(BundleLayout.vocab(dir)), manifest.doLowerCase(), manifest.maxSeqLength());
        Device device = settings.gpuIds().isEmpty() ? Device.cpu() : Device.gpu(settings.gpuIds().get(0));
        ZooModel<NDList, NDList> image = null;
        try {
            if (manifest.hasImageEncoder()) {
                image = loadSavedModel(BundleLayout.imageModel(dir), manifest.image().signature(), device, settings.threads());
            }
            ZooModel<NDList, NDList> text = loadSavedModel(BundleLayout.textModel(dir), manifest.text().signature(),
                    device, settings.threads());
            LoadedBundle bundle = new LoadedBundle(manifest, image, text, textEncoder,
                    device.isGpu() ? null : new ReentrantLock(true), settings.textLengthBuckets());
            bundle.neutralRegions = bundle.computeNeutralRegions();
            LOG.info("Loaded model bundle {} ({} {}, {}{}) on {} ({} intra-op, {} inter-op threads; text lengths {}): {}",
                    dir, manifest.name(), manifest.version(), manifest.trained() ? "trained" : "UNTRAINED",
                    image == null ? ", text only" : "", text.getNDManager().getDevice(),
                    settings.threads().effectiveIntraOp(), settings.threads().interOp(),
                    manifest.text().lengthBuckets() == null || !settings.textLengthBuckets() ? manifest.maxSeqLength()
                            : manifest.text().lengthBuckets(),
                    manifest.description());
            return bundle;
        } catch (ModelNotFoundException | MalformedModelException | TranslateException e) {
            if (image != null) {
                image.close();
            }
            throw new IOException("cannot load model bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ZooModel<NDList, NDList> loadSavedModel(Path savedModel, String signature, Device device,
                                                           ModelThreads threads)
            throws ModelNotFoundException, MalformedModelException, IOException {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(savedModel)
                .optEngine("TensorFlow")
                .optDevice(device)
                .optOption("SignatureDefKey", signature)
                .optOption("ConfigProto", threads.configProtoOption())
                .build()
                .loadModel();
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The bundle's tokenizer: vocab.txt with the manifest's settings. */
    public MafTextEncoder textEncoder() {
        return textEncoder;
    }

    /** The regions of a mean-colour image (zeros after normalisation), computed once at load. */
    public float[] neutralRegions() {
        return neutralRegions;
    }

    /** A known-good image for telling a bad input from a broken model: the mean colour (zeros after normalisation). */
    public float[] probeImage() {
        return new float[pixelsLength];
    }

    /**
     * A known-good text that runs at {@code length} positions: [CLS], ordinary tokens, [SEP]. It
     * runs where a failed text ran, so a model broken at one length only is still caught.
     */
    public TokenInput probeText(int length) {
        int words = Math.max(0, Math.min(length, manifest.maxSeqLength()) - 2);
        EncodedText encoded = textEncoder.encode(Collections.nCopies(words, "a"));
        return new TokenInput(encoded.inputIds(), encoded.inputMask(), encoded.segmentIds());
    }

    /** A predictor for {@link #encodeImages}; null for a text-only bundle, which needs none. */
    public Predictor<NDList, NDList> newImagePredictor() {
        return imageModel == null ? null : imageModel.newPredictor();
    }

    public Predictor<NDList, NDList> newTextPredictor() {
        return textModel.newPredictor();
    }

    /** [pixels NHWC] per image → [regions] per image, one model call. */
    public List<float[]> encodeImages(Predictor<NDList, NDList> predictor, List<float[]> images) throws TranslateException {
        for (float[] pixels : images) {
            if (pixels.length != pixelsLength) {
                throw new IllegalArgumentException("image tensor has " + pixels.length + " values, the bundle needs " + pixelsLength);
            }
        }
        if (imageModel == null) {
            return images.stream().map(pixels -> new float[regionsLength]).toList();
        }
        int size = manifest.image().size();
        float[] batch = new float[images.size() * pixelsLength];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, batch, i * pixelsLength, pixelsLength);
        }
        try (NDManager manager = imageModel.getNDManager().newSubManager()) {
            NDList in = new NDList(named(manager.create(batch, new Shape(images.size(), size, size, 3)), "pixels"));
            try (NDList out = predict(predictor, in)) {
                return split(out.get("regions").toFloatArray(), images.size(), regionsLength);
            }
        }
    }

    /**
     * The sequence length a text runs at: the bundle's fixed 128, or for a text-only bundle the
     * shortest of its length buckets that holds the text (the text batcher batches by it).
     */
    public int sequenceLengthFor(TokenInput tokens) {
        return textLengthBuckets ? manifest.sequenceLengthFor(tokens.realLength()) : sequenceLength;
    }

    /**
     * Texts with their regions (null: the neutral image) → scores, one model call, at the
     * sequence length of the longest text in the batch.
     */
    public List<TextScores> scoreTexts(Predictor<NDList, NDList> predictor, List<TextInput> inputs) throws TranslateException {
        int b = inputs.size();
        int length = 0;
        for (TextInput input : inputs) {
            length = Math.max(length, sequenceLengthFor(input.tokens()));
        }
        int[] ids = new int[b * length];
        int[] mask = new int[b * length];
        int[] segments = new int[b * length];
        float[] regions = new float[b * regionsLength];
        for (int i = 0; i < b; i++) {
            TokenInput tokens = inputs.get(i).tokens();
            System.arraycopy(tokens.inputIds(), 0, ids, i * length, length);
            System.arraycopy(tokens.inputMask(), 0, mask, i * length, length);
            System.arraycopy(tokens.segmentIds(), 0, segments, i * length, length);
            float[] r = inputs.get(i).regions() == null ? neutralRegions : inputs.get(i).regions();
            System.arraycopy(r, 0, regions, i * regionsLength, regionsLength);
        }
        try (NDManager manager = textModel.getNDManager().newSubManager()) {
            Shape tokenShape = new Shape(b, length);
            NDList in = new NDList(
                    named(manager.create(ids, tokenShape), "input_ids"),
                    named(manager.create(mask, tokenShape), "input_mask"),
                    named(manager.create(segments, tokenShape), "segment_ids"),
                    named(manager.create(regions, new Shape(b, manifest.image().regions(), manifest.image().regionChannels())), "regions"));
            try (NDList out = predict(predictor, in)) {
                List<float[]> emissions = split(out.get("emissions").toFloatArray(), b, length * numLabels);
                float[] retain = out.get("retain_score").toFloatArray();
                List<float[]> gateMean = split(out.get("gate_mean").toFloatArray(), b, length);
                List<TextScores> scores = new ArrayList<>(b);
                for (int i = 0; i < b; i++) {
                    scores.add(new TextScores(emissions.get(i), numLabels, retain[i], gateMean.get(i)));
                }
                return scores;
            }
        }
    }

    private NDList predict(Predictor<NDList, NDList> predictor, NDList in) throws TranslateException {
        if (cpuTurn == null) {
            return predictor.predict(in);
        }
        cpuTurn.lock();
        try {
            return predictor.predict(in);
        } finally {
            cpuTurn.unlock();
        }
    }

    private float[] computeNeutralRegions() throws TranslateException {
        try (Predictor<NDList, NDList> predictor = newImagePredictor()) {
            return encodeImages(predictor, List.of(new float[pixelsLength])).get(0);
        }
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    private static List<float[]> split(float[] values, int count, int length) {
        if (values.length != count * length) {
            throw new IllegalStateException("model returned " + values.length + " values for " + count + " items of " + length);
        }
        List<float[]> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(java.util.Arrays.copyOfRange(values, i * length, (i + 1) * length));
        }
        return parts;
    }

    @Override
    public void close() {
        textModel.close();
        if (imageModel != null) {
            imageModel.close();
        }
    }
}

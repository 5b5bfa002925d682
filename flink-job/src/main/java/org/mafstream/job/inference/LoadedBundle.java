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
import java.util.List;
import org.mafstream.model.bundle.BundleLayout;
import org.mafstream.model.bundle.BundleManifest;
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
    private float[] neutralRegions;

    private LoadedBundle(BundleManifest manifest, ZooModel<NDList, NDList> imageModel,
                         ZooModel<NDList, NDList> textModel, MafTextEncoder textEncoder) {
        this.textEncoder = textEncoder;
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
                image = loadSavedModel(BundleLayout.imageModel(dir), manifest.image().signature(), device);
            }
            ZooModel<NDList, NDList> text = loadSavedModel(BundleLayout.textModel(dir), manifest.text().signature(), device);
            LoadedBundle bundle = new LoadedBundle(manifest, image, text, textEncoder);
            bundle.neutralRegions = bundle.computeNeutralRegions();
            LOG.info("Loaded model bundle {} ({} {}, {}{}) on {}: {}", dir, manifest.name(), manifest.version(),
                    manifest.trained() ? "trained" : "UNTRAINED", image == null ? ", text only" : "",
                    text.getNDManager().getDevice(), manifest.description());
            return bundle;
        } catch (ModelNotFoundException | MalformedModelException | TranslateException e) {
            if (image != null) {
                image.close();
            }
            throw new IOException("cannot load model bundle " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ZooModel<NDList, NDList> loadSavedModel(Path savedModel, String signature, Device device)
            throws ModelNotFoundException, MalformedModelException, IOException {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(savedModel)
                .optEngine("TensorFlow")
                .optDevice(device)
                .optOption("SignatureDefKey", signature)
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
            try (NDList out = predictor.predict(in)) {
                return split(out.get("regions").toFloatArray(), images.size(), regionsLength);
            }
        }
    }

    /** Texts with their regions (null: the neutral image) → scores, one model call. */
    public List<TextScores> scoreTexts(Predictor<NDList, NDList> predictor, List<TextInput> inputs) throws TranslateException {
        int b = inputs.size();
        int[] ids = new int[b * sequenceLength];
        int[] mask = new int[b * sequenceLength];
        int[] segments = new int[b * sequenceLength];
        float[] regions = new float[b * regionsLength];
        for (int i = 0; i < b; i++) {
            TokenInput tokens = inputs.get(i).tokens();
            System.arraycopy(tokens.inputIds(), 0, ids, i * sequenceLength, sequenceLength);
            System.arraycopy(tokens.inputMask(), 0, mask, i * sequenceLength, sequenceLength);
            System.arraycopy(tokens.segmentIds(), 0, segments, i * sequenceLength, sequenceLength);
            float[] r = inputs.get(i).regions() == null ? neutralRegions : inputs.get(i).regions();
            System.arraycopy(r, 0, regions, i * regionsLength, regionsLength);
        }
        try (NDManager manager = textModel.getNDManager().newSubManager()) {
            Shape tokenShape = new Shape(b, sequenceLength);
            NDList in = new NDList(
                    named(manager.create(ids, tokenShape), "input_ids"),
                    named(manager.create(mask, tokenShape), "input_mask"),
                    named(manager.create(segments, tokenShape), "segment_ids"),
                    named(manager.create(regions, new Shape(b, manifest.image().regions(), manifest.image().regionChannels())), "regions"));
            try (NDList out = predictor.predict(in)) {
                float[] emissions = out.get("emissions").toFloatArray();
                float[] retain = out.get("retain_score").toFloatArray();
                float[] gateMean = out.get("gate_mean").toFloatArray();
                List<TextScores> scores = new ArrayList<>(b);
                for (int i = 0; i < b; i++) {
                    float[][] rows = new float[sequenceLength][];
                    for (int t = 0; t < sequenceLength; t++) {
                        int from = (i * sequenceLength + t) * numLabels;
                        rows[t] = java.util.Arrays.copyOfRange(emissions, from, from + numLabels);
                    }
                    scores.add(new TextScores(rows, retain[i],
                            java.util.Arrays.copyOfRange(gateMean, i * sequenceLength, (i + 1) * sequenceLength)));
                }
                return scores;
            }
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

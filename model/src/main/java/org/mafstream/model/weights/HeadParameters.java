package org.mafstream.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mafstream.model.bundle.CrfParameters;

/**
 * A trained text-only MAF head, stored as a directory: {@value #BINARY} holds the float32
 * little-endian tensors back to back, {@value #MANIFEST} names them (the PyTorch checkpoint's keys),
 * their shapes and byte offsets, the labels, the hidden size, the binary's sha256 and how it was
 * trained. {@code classifier.weight} is [labels, 2·hidden] like MAF's, its image half (columns
 * hidden..) zero: with the image branch off that half multiplies zeros. Readable from a directory
 * or from class-path resources; as a {@link WeightSource} it feeds the exporter.
 */
public final class HeadParameters implements WeightSource {
    public static final String BINARY = "heads.bin";
    public static final String MANIFEST = "heads.json";
    public static final int FORMAT_VERSION = 1;
    public static final String FORMAT = "maf-stream text head";
    public static final String WEIGHT = "classifier.weight";
    public static final String BIAS = "classifier.bias";
    public static final String START = "crf.start_transitions";
    public static final String END = "crf.end_transitions";
    public static final String TRANSITIONS = "crf.transitions";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Opens one file of a heads directory by name, or returns null if it does not exist. */
    @FunctionalInterface
    public interface FileOpener {
        InputStream open(String name) throws IOException;
    }

    private final List<String> labels;
    private final int hidden;
    private final Map<String, float[]> tensors;
    private final JsonNode training;

    private HeadParameters(List<String> labels, int hidden, Map<String, float[]> tensors, JsonNode training) {
        this.labels = List.copyOf(labels);
        this.hidden = hidden;
        this.tensors = tensors;
        this.training = training;
    }

    /**
     * @param weight [labels, 2·hidden] row-major, columns hidden.. zero
     * @param transitions [labels, labels] row-major, [i][j] scoring tag i followed by tag j
     * @param training how these were trained (free-form JSON object), or null
     */
    public static HeadParameters of(List<String> labels, int hidden, float[] weight, float[] bias, float[] start,
                                    float[] end, float[] transitions, JsonNode training) throws HeadParametersException {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        tensors.put(WEIGHT, weight.clone());
        tensors.put(BIAS, bias.clone());
        tensors.put(START, start.clone());
        tensors.put(END, end.clone());
        tensors.put(TRANSITIONS, transitions.clone());
        HeadParameters heads = new HeadParameters(labels, hidden, tensors, training);
        for (Map.Entry<String, float[]> tensor : tensors.entrySet()) {
            long[] shape = heads.shape(tensor.getKey());
            if (tensor.getValue().length != count(shape)) {
                throw new HeadParametersException(tensor.getKey() + " needs " + count(shape) + " values for shape "
                        + Arrays.toString(shape) + ", got " + tensor.getValue().length);
            }
        }
        heads.checkImageHalfIsZero("parameters");
        return heads;
    }

    public List<String> labels() {
        return labels;
    }

    public int hidden() {
        return hidden;
    }

    /** The {@code training} object of the manifest (a missing node if there is none). */
    public JsonNode training() {
        return training == null ? JSON.missingNode() : training;
    }

    public CrfParameters crf() {
        return CrfParameters.of(tensors.get(START).clone(), tensors.get(END).clone(), tensors.get(TRANSITIONS).clone());
    }

    /** The shape {@code key} has in every heads directory with these labels and hidden size. */
    public long[] shape(String key) throws HeadParametersException {
        long n = labels.size();
        return switch (key) {
            case WEIGHT -> new long[] {n, 2L * hidden};
            case BIAS, START, END -> new long[] {n};
            case TRANSITIONS -> new long[] {n, n};
            default -> throw new HeadParametersException("no tensor " + key + " in a heads directory (it has "
                    + List.of(WEIGHT, BIAS, START, END, TRANSITIONS) + ")");
        };
    }

    @Override
    public float[] read(String key, long[] shape) throws HeadParametersException {
        long[] actual = shape(key);
        if (!Arrays.equals(actual, shape)) {
            throw new HeadParametersException(key + " has shape " + Arrays.toString(actual) + ", not " + Arrays.toString(shape));
        }
        return tensors.get(key).clone();
    }

    /** The SHA-256 of the {@value #BINARY} these parameters write (and were read from). */
    public String sha256() {
        return org.mafstream.model.bundle.Sha256.of(binary());
    }

    /** The size of {@value #BINARY} in bytes. */
    public long binaryBytes() {
        return 4 * tensors.values().stream().mapToLong(t -> t.length).sum();
    }

    private byte[] binary() {
        ByteBuffer binary = ByteBuffer.allocate(Math.toIntExact(binaryBytes())).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] tensor : tensors.values()) {
            binary.asFloatBuffer().put(tensor);
            binary.position(binary.position() + 4 * tensor.length);
        }
        return binary.array();
    }

    /** Writes {@value #BINARY} then {@value #MANIFEST} into {@code dir}, creating it. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("formatVersion", FORMAT_VERSION);
        manifest.put("dtype", "float32 little-endian");
        manifest.set("labels", JSON.valueToTree(labels));
        manifest.put("hidden", hidden);
        ArrayNode entries = manifest.putArray("tensors");
        long offset = 0;
        for (Map.Entry<String, float[]> tensor : tensors.entrySet()) {
            ObjectNode entry = entries.addObject();
            entry.put("name", tensor.getKey());
            entry.set("shape", JSON.valueToTree(shape(tensor.getKey())));
            entry.put("offset", offset);
            offset += 4L * tensor.getValue().length;
        }
        byte[] bytes = binary();
        manifest.put("bytes", bytes.length);
        manifest.put("sha256", org.mafstream.model.bundle.Sha256.of(bytes));
        if (training != null) {
            manifest.set("training", training);
        }
        Files.write(dir.resolve(BINARY), bytes);
        JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
    }

    public static HeadParameters read(Path dir) throws IOException {
        return read(name -> {
            Path file = dir.resolve(name);
            return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
        }, dir.toString());
    }

    /** From class-path resources, e.g. {@code "org/mafstream/model/heads/twitter2017-text"}. */
    public static HeadParameters readResource(ClassLoader loader, String resourceDir) throws IOException {
        String prefix = resourceDir.endsWith("/") ? resourceDir : resourceDir + "/";
        return read(name -> loader.getResourceAsStream(prefix + name), "class path " + prefix);
    }

    /** @param where names the directory in messages */
    public static HeadParameters read(FileOpener files, String where) throws IOException {
        JsonNode manifest = JSON.readTree(readAll(files, MANIFEST, where));
        if (!FORMAT.equals(manifest.path("format").asText()) || manifest.path("formatVersion").asInt() != FORMAT_VERSION) {
            throw new HeadParametersException(where + "/" + MANIFEST + " is not a " + FORMAT + " manifest of version "
                    + FORMAT_VERSION + " (format " + manifest.path("format") + ", version " + manifest.path("formatVersion") + ")");
        }
        byte[] bytes = readAll(files, BINARY, where);
        String sha256 = org.mafstream.model.bundle.Sha256.of(bytes);
        if (!sha256.equals(manifest.path("sha256").asText())) {
            throw new HeadParametersException(where + "/" + BINARY + " has sha256 " + sha256 + " but the manifest says "
                    + manifest.path("sha256").asText() + ": the file is damaged or from another run");
        }
        List<String> labels = new ArrayList<>();
        manifest.path("labels").forEach(label -> labels.add(label.asText()));
        HeadParameters shapes = new HeadParameters(labels, manifest.path("hidden").asInt(), Map.of(), null);
        if (labels.isEmpty() || shapes.hidden < 1) {
            throw new HeadParametersException(where + "/" + MANIFEST + " needs labels and a positive hidden size");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (JsonNode entry : manifest.path("tensors")) {
            String name = entry.path("name").asText();
            long[] expected = shapes.shape(name);
            long[] stored = JSON.convertValue(entry.path("shape"), long[].class);
            if (!Arrays.equals(expected, stored)) {
                throw new HeadParametersException(where + ": " + name + " has shape " + Arrays.toString(stored) + ", expected "
                        + Arrays.toString(expected) + " for " + labels.size() + " labels and hidden size " + shapes.hidden);
            }
            long offset = entry.path("offset").asLong(-1);
            long length = 4 * count(expected);
            if (offset < 0 || offset % 4 != 0 || offset + length > bytes.length) {
                throw new HeadParametersException(where + ": " + name + " at offset " + offset + " (" + length
                        + " bytes) does not fit in " + BINARY + " (" + bytes.length + " bytes)");
            }
            float[] values = new float[Math.toIntExact(count(expected))];
            buffer.position(Math.toIntExact(offset));
            buffer.asFloatBuffer().get(values);
            if (tensors.put(name, values) != null) {
                throw new HeadParametersException(where + "/" + MANIFEST + " lists " + name + " twice");
            }
        }
        for (String name : List.of(WEIGHT, BIAS, START, END, TRANSITIONS)) {
            if (!tensors.containsKey(name)) {
                throw new HeadParametersException(where + "/" + MANIFEST + " lists no tensor " + name);
            }
        }
        HeadParameters heads = new HeadParameters(labels, shapes.hidden, tensors, manifest.get("training"));
        heads.checkImageHalfIsZero(where);
        return heads;
    }

    /** The image half of the classifier multiplies P·G·cross, which is 0 for a text-only head. */
    private void checkImageHalfIsZero(String where) throws HeadParametersException {
        float[] weight = tensors.get(WEIGHT);
        int width = 2 * hidden;
        for (int row = 0; row < labels.size(); row++) {
            for (int column = hidden; column < width; column++) {
                if (weight[row * width + column] != 0) {
                    throw new HeadParametersException(where + ": " + WEIGHT + "[" + row + "][" + column
                            + "] is not 0: a text-only head has no image half");
                }
            }
        }
    }

    static byte[] readAll(FileOpener files, String name, String where) throws IOException {
        try (InputStream in = files.open(name)) {
            if (in == null) {
                throw new HeadParametersException(where + " has no " + name);
            }
            return in.readAllBytes();
        }
    }

    static long count(long[] shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return count;
    }
}

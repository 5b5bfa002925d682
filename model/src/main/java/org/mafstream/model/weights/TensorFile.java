package org.mafstream.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mafstream.model.bundle.Sha256;

/**
 * Named float32 tensors in two files, {@code NAME.bin} (little-endian, one after another) and
 * {@code NAME.json} (names, shapes, offsets, the binary's SHA-256 and free-form metadata): the
 * fine-tuner's adapters and BERT weights it changed. Reading checks the hash and every shape.
 */
public final class TensorFile implements WeightSource {
    public static final String FORMAT = "maf-stream tensors";
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A tensor: its shape and row-major values. */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            if (HeadParameters.count(shape) != values.length) {
                throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
            }
        }
    }

    private final Map<String, Tensor> tensors;
    private final JsonNode metadata;

    /** @param metadata a JSON object, or null */
    public TensorFile(Map<String, Tensor> tensors, JsonNode metadata) {
        this.tensors = new LinkedHashMap<>(tensors);
        this.metadata = metadata;
    }

    public Map<String, Tensor> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** The metadata object (a missing node if there is none). */
    public JsonNode metadata() {
        return metadata == null ? JSON.missingNode() : metadata;
    }

    @Override
    public float[] read(String key, long[] shape) throws IOException {
        Tensor tensor = tensors.get(key);
        if (tensor == null) {
            throw new IOException("no tensor " + key + " (the file has " + tensors.size() + ")");
        }
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IOException(key + " has shape " + Arrays.toString(tensor.shape()) + ", not " + Arrays.toString(shape));
        }
        return tensor.values().clone();
    }

    public byte[] binary() {
        long values = tensors.values().stream().mapToLong(t -> t.values().length).sum();
        ByteBuffer binary = ByteBuffer.allocate(Math.toIntExact(4 * values)).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor tensor : tensors.values()) {
            binary.asFloatBuffer().put(tensor.values());
            binary.position(binary.position() + 4 * tensor.values().length);
        }
        return binary.array();
    }

    public String sha256() {
        return Sha256.of(binary());
    }

    /** Writes {@code dir/name.bin}, then {@code dir/name.json} (each through a temporary file and a rename). */
    public void write(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        byte[] bytes = binary();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("formatVersion", FORMAT_VERSION);
        manifest.put("dtype", "float32 little-endian");
        ArrayNode entries = manifest.putArray("tensors");
        long offset = 0;
        for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
            ObjectNode entry = entries.addObject();
            entry.put("name", tensor.getKey());
            entry.set("shape", JSON.valueToTree(tensor.getValue().shape()));
            entry.put("offset", offset);
            offset += 4L * tensor.getValue().values().length;
        }
        manifest.put("bytes", bytes.length);
        manifest.put("sha256", Sha256.of(bytes));
        if (metadata != null) {
            manifest.set("metadata", metadata);
        }
        replace(dir.resolve(name + ".bin"), bytes);
        replace(dir.resolve(name + ".json"), JSON.writeValueAsBytes(manifest));
    }

    private static void replace(Path file, byte[] bytes) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, bytes);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static TensorFile read(Path dir, String name) throws IOException {
        return read(file -> {
            Path path = dir.resolve(file);
            return Files.isRegularFile(path) ? Files.newInputStream(path) : null;
        }, name, dir.toString());
    }

    /** @param where names the directory in messages */
    public static TensorFile read(HeadParameters.FileOpener files, String name, String where) throws IOException {
        JsonNode manifest = JSON.readTree(HeadParameters.readAll(files, name + ".json", where));
        if (!FORMAT.equals(manifest.path("format").asText()) || manifest.path("formatVersion").asInt() != FORMAT_VERSION) {
            throw new IOException(where + "/" + name + ".json is not a " + FORMAT + " manifest of version " + FORMAT_VERSION);
        }
        byte[] bytes = HeadParameters.readAll(files, name + ".bin", where);
        String sha256 = Sha256.of(bytes);
        if (!sha256.equals(manifest.path("sha256").asText())) {
            throw new IOException(where + "/" + name + ".bin has sha256 " + sha256 + " but its manifest says "
                    + manifest.path("sha256").asText() + ": the file is damaged or from another run");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode entry : manifest.path("tensors")) {
            String key = entry.path("name").asText();
            long[] shape = JSON.convertValue(entry.path("shape"), long[].class);
            long offset = entry.path("offset").asLong(-1);
            long length = 4 * HeadParameters.count(shape);
            if (offset < 0 || offset % 4 != 0 || offset + length > bytes.length) {
                throw new IOException(where + ": " + key + " at offset " + offset + " (" + length + " bytes) does not fit in "
                        + name + ".bin (" + bytes.length + " bytes)");
            }
            float[] values = new float[Math.toIntExact(HeadParameters.count(shape))];
            buffer.position(Math.toIntExact(offset));
            buffer.asFloatBuffer().get(values);
            if (tensors.put(key, new Tensor(shape, values)) != null) {
                throw new IOException(where + "/" + name + ".json lists " + key + " twice");
            }
        }
        return new TensorFile(tensors, manifest.get("metadata"));
    }
}

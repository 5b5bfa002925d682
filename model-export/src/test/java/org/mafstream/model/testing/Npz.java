package org.mafstream.model.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads NumPy {@code .npz} archives of little-endian float32 / int64 C-order arrays (the goldens). */
public final class Npz {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** One array: its shape and its values as doubles (exact for float32 and the int64 ranges used). */
    public record Array(long[] shape, double[] values) {
        public float[] floats() {
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (float) values[i];
            }
            return out;
        }

        public int[] ints() {
            return Arrays.stream(values).mapToInt(v -> (int) v).toArray();
        }
    }

    private Npz() {}

    public static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> arrays = new HashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                arrays.put(entry.getName().replace(".npy", ""), parseNpy(bytes, entry.getName()));
            }
        }
        return arrays;
    }

    private static Array parseNpy(byte[] bytes, String name) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLength = major == 1 ? buffer.getShort(8) & 0xffff : buffer.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) {
            throw new IllegalArgumentException(name + ": Fortran order is not supported");
        }
        Matcher descr = DESCR.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !shape.find()) {
            throw new IllegalArgumentException(name + ": bad npy header " + header);
        }
        long[] dims = Arrays.stream(shape.group(1).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        int count = (int) Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        buffer.position(headerStart + headerLength);
        double[] values = new double[count];
        switch (descr.group(1)) {
            case "<f4" -> { for (int i = 0; i < count; i++) values[i] = buffer.getFloat(); }
            case "<i8" -> { for (int i = 0; i < count; i++) values[i] = buffer.getLong(); }
            default -> throw new IllegalArgumentException(name + ": dtype " + descr.group(1) + " is not supported");
        }
        return new Array(dims, values);
    }
}

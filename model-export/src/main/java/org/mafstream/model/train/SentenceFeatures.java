package org.mafstream.model.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Frozen BERT features of a list of sentences: for sentence i, {@code lengths[i]} rows of
 * {@code hidden} floats (positions 0..n-1: [CLS], subwords, [SEP]), stored back to back in
 * {@code values} starting at row {@code offsets[i]}. Also the cache file format: a header
 * ({@link #MAGIC}, hidden, sentence count, the lengths, a key naming what was encoded), then the
 * float32 values, little-endian.
 *
 * @param key identifies the input (data file hash, encoder) so a stale cache is never used
 */
public record SentenceFeatures(int hidden, int[] lengths, int[] offsets, float[] values, String key) {
    static final long MAGIC = 0x4D41464645415431L; // "MAFFEAT1"

    public SentenceFeatures {
        if (offsets.length != lengths.length) {
            throw new IllegalArgumentException("offsets and lengths differ in size");
        }
        long rows = Arrays.stream(lengths).asLongStream().sum();
        if (rows * hidden != values.length) {
            throw new IllegalArgumentException(rows + " rows of " + hidden + " need " + rows * hidden + " values, got " + values.length);
        }
    }

    public static SentenceFeatures of(int hidden, int[] lengths, float[] values, String key) {
        int[] offsets = new int[lengths.length];
        for (int i = 1; i < lengths.length; i++) {
            offsets[i] = offsets[i - 1] + lengths[i - 1];
        }
        return new SentenceFeatures(hidden, lengths, offsets, values, key);
    }

    public int size() {
        return lengths.length;
    }

    /** Index into {@link #values()} of sentence {@code sentence}, position {@code position}, feature 0. */
    public int start(int sentence, int position) {
        return (offsets[sentence] + position) * hidden;
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (DataOutputStream header = new DataOutputStream(Files.newOutputStream(partial))) {
            header.writeLong(MAGIC);
            header.writeUTF(key);
            header.writeInt(hidden);
            header.writeInt(lengths.length);
            for (int length : lengths) {
                header.writeInt(length);
            }
        }
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length; ) {
                buffer.clear();
                int n = Math.min(buffer.capacity() / 4, values.length - i);
                buffer.asFloatBuffer().put(values, i, n);
                buffer.limit(n * 4);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                i += n;
            }
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The cached features in {@code file} if it exists and was written for {@code key}, else null. */
    public static SentenceFeatures readIfFor(Path file, String key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long headerBytes;
        int hidden;
        int[] lengths;
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readLong() != MAGIC) {
                throw new IOException(file + " is not a feature cache file");
            }
            String storedKey = in.readUTF();
            if (!storedKey.equals(key)) {
                return null;
            }
            hidden = in.readInt();
            lengths = new int[in.readInt()];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = in.readInt();
            }
            headerBytes = 8 + 2 + storedKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 8 + 4L * lengths.length;
        }
        long rows = Arrays.stream(lengths).asLongStream().sum();
        float[] values = new float[Math.toIntExact(rows * hidden)];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != headerBytes + 4L * values.length) {
                throw new IOException(file + " is truncated: " + channel.size() + " bytes, expected " + (headerBytes + 4L * values.length));
            }
            channel.position(headerBytes);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length; ) {
                buffer.clear();
                int n = Math.min(buffer.capacity() / 4, values.length - i);
                buffer.limit(n * 4);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer) < 0) {
                        throw new IOException(file + " ended early");
                    }
                }
                buffer.flip();
                buffer.asFloatBuffer().get(values, i, n);
                i += n;
            }
        }
        return of(hidden, lengths, values, key);
    }
}

package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * Writes a state_dict in the zip format of {@code torch.save} (torch &gt;= 1.6), as the original
 * MAF training code saves {@code pytorch_model.bin} and {@code pytorch_encoder.bin}, so that both
 * {@code torch.load} + {@code load_state_dict} and {@link TorchCheckpoint} read it:
 * <pre>
 * try (TorchCheckpointWriter w = TorchCheckpointWriter.create(dir.resolve("pytorch_encoder.bin"))) {
 *     w.addFloats("resnet.bn1.weight", new long[] {64}, gamma);
 *     w.addLongs("resnet.bn1.num_batches_tracked", new long[0], new long[] {steps});
 * }   // close() finishes the archive and renames it onto the target
 * </pre>
 * Keys keep the caller's order; tensors are contiguous, on the CPU, float32 or int64.
 *
 * <p>The file is what torch 1.13 writes for the same state_dict, byte for byte, when the same module
 * versions are given ({@link #module}; the tests rewrite the maf-tiny fixture's torch-written files
 * identically): {@code <stem>/data.pkl} (the protocol-2 pickle of an OrderedDict of
 * {@code _rebuild_tensor_v2} calls, memoized as CPython does, and its {@code _metadata}), one entry
 * {@code <stem>/data/<n>} per tensor in torch's (string-sorted) order, and {@code <stem>/version}
 * = {@code 3}; no {@code byteorder} entry, which only torch &gt;= 2.1 writes. Entries are STORED,
 * and each local header carries a padding extra field that puts the entry's data at a multiple of
 * 64 bytes, as torch does so that storages can be mapped and used in place; readers skip it like
 * any extra field. The folder {@code <stem>} is the target's file name without its extension,
 * because torch names it after the file it saves to ({@code pytorch_model.bin} holds
 * {@code pytorch_model/...}); readers take whatever folder the archive has, so the name only
 * matters for matching torch. Archives of 4 GiB or more (zip64 entries) are refused with an
 * IOException; the full MAF model is about 0.8 GB.
 *
 * <p>Memory stays at one tensor: each {@code add} call streams its values to a spool file next to
 * the target. The spool is needed because torch puts {@code data.pkl}, which describes every
 * tensor, before the data; {@link #close} writes the archive to a temporary file beside the target,
 * copying the spool into it (one more sequential pass; while it runs, the folder holds the data
 * twice), and then renames it onto the target atomically. Until then the target is untouched: a
 * previous checkpoint there stays whole until it is replaced.
 *
 * <p>Any exception from a method of this writer discards everything: {@link #close} then writes
 * nothing, so a try-with-resources block cannot leave a partial checkpoint behind. The writer
 * cannot see exceptions of the caller's own code between its calls; {@link #write(Path, Body)}
 * (or {@link #abort()} in a catch) covers those. Not thread-safe.
 */
public final class TorchCheckpointWriter implements AutoCloseable {
    /** What {@code torch.save} records as the storage location of a CPU tensor. */
    private static final String LOCATION = "cpu";
    /** The format version torch.save writes in {@code <stem>/version}. */
    private static final String VERSION = "3\n";
    private static final int CHUNK_BYTES = 1 << 20;

    /** The code that adds the tensors; see {@link #write(Path, Body)}. */
    @FunctionalInterface
    public interface Body {
        void write(TorchCheckpointWriter writer) throws IOException;
    }

    private record Stored(String key, String storageClass, String storageKey, long numel, long[] shape, long[] stride,
                          long spoolOffset, long bytes, int crc) {
    }

    private enum State { OPEN, CLOSED, DISCARDED }

    private final Path target;
    private final Path temp;
    private final Path spoolFile;
    private final String stem;
    private final long limit;
    private final FileChannel spool;
    private final List<Stored> tensors = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();
    private final Map<String, Integer> modules = new LinkedHashMap<>();
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long spoolSize;
    private State state = State.OPEN;

    private TorchCheckpointWriter(Path target, long limit) throws IOException {
        this.target = target;
        this.limit = limit;
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // torch names the folder after the file's name up to its last dot; "archive" is its name for streams
        this.stem = dot > 0 ? name.substring(0, dot) : dot < 0 ? name : "archive";
        String unique = "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        this.temp = target.resolveSibling(unique + ".tmp");
        this.spoolFile = target.resolveSibling(unique + ".spool");
        this.spool = FileChannel.open(spoolFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    }

    /** A writer of a checkpoint at {@code target}, whose folder must exist; an existing file there is replaced at {@link #close}. */
    public static TorchCheckpointWriter create(Path target) throws IOException {
        return create(target, TorchZipRecords.DEFAULT_LIMIT);
    }

    /** {@link #create(Path)} with a smaller size limit than zip's 4 GiB, for tests. */
    static TorchCheckpointWriter create(Path target, long limit) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getFileName() == null) {
            throw new IllegalArgumentException(target + ": not a file name");
        }
        if (!Files.isDirectory(absolute.getParent())) {
            throw new NoSuchFileException(absolute.getParent().toString(), null, "the checkpoint's folder does not exist");
        }
        return new TorchCheckpointWriter(absolute, limit);
    }

    /**
     * Creates the writer, runs {@code body} and closes the writer; if {@code body} throws anything,
     * nothing is written and the exception is rethrown.
     */
    public static void write(Path target, Body body) throws IOException {
        TorchCheckpointWriter writer = create(target);
        try {
            body.write(writer);
        } catch (Throwable t) {
            writer.abort();
            throw t;
        }
        writer.close();
    }

    /** The file {@link #close} writes (absolute). */
    public Path target() {
        return target;
    }

    /** A float32 tensor; {@code values} in row-major order, as many as the shape holds ({@code new long[0]} for a scalar). */
    public TorchCheckpointWriter addFloats(String key, long[] shape, float[] values) throws IOException {
        add(key, shape, values == null ? -1 : values.length, "FloatStorage", Float.BYTES, (from, n) -> chunk.asFloatBuffer().put(values, from, n));
        return this;
    }

    /** An int64 tensor, e.g. BatchNorm's 0-d {@code num_batches_tracked}. */
    public TorchCheckpointWriter addLongs(String key, long[] shape, long[] values) throws IOException {
        add(key, shape, values == null ? -1 : values.length, "LongStorage", Long.BYTES, (from, n) -> chunk.asLongBuffer().put(values, from, n));
        return this;
    }

    /**
     * Records the version of one module in the state_dict's {@code _metadata}, in the order torch
     * visits modules (pre-order: a module, then its children), e.g. {@code ("", 1)},
     * {@code ("resnet.bn1", 2)}. {@code load_state_dict} hands each module its version; only some
     * modules look at it (BatchNorm, version 2, adds a missing {@code num_batches_tracked}).
     *
     * <p>Without any call, the versions are derived from the keys: the root {@code ""} and every
     * prefix of a key, in key order, version 1, except 2 for a module holding
     * {@code num_batches_tracked} (torch's BatchNorm). That is torch's metadata less the modules
     * without parameters or buffers (dropout, activations, pooling), which nothing reads.
     */
    public TorchCheckpointWriter module(String prefix, int version) {
        ensureOpen();
        try {
            if (prefix == null || version < 0) {
                throw new IllegalArgumentException("module " + prefix + ": needs a prefix and a version >= 0, got " + version);
            }
            if (modules.putIfAbsent(prefix, version) != null) {
                throw new IllegalArgumentException("module '" + prefix + "' was given a version twice");
            }
            return this;
        } catch (RuntimeException e) {
            discard(e);
            throw e;
        }
    }

    /** Discards what was written; the target is left as it was. Does nothing once closed. */
    public void abort() {
        if (state == State.OPEN) {
            discard(null);
        }
    }

    /**
     * Finishes the archive and renames it onto the target, replacing any file there. After a failed
     * call to this writer, or {@link #abort()}, it writes nothing and returns quietly (the failure
     * was already thrown). Repeated calls do nothing.
     */
    @Override
    public void close() throws IOException {
        if (state != State.OPEN) {
            return;
        }
        try {
            writeArchive();
            state = State.CLOSED;
        } catch (IOException | RuntimeException e) {
            discard(e);
            throw e;
        }
    }

    @FunctionalInterface
    private interface ChunkFiller {
        void fill(int from, int n);
    }

    private void add(String key, long[] shape, int length, String storageClass, int elementBytes, ChunkFiller filler)
            throws IOException {
        ensureOpen();
        try {
            long[] dims = checkTensor(key, shape, length);
            long bytes = (long) length * elementBytes;
            if (spoolSize + bytes >= limit) {
                throw new IOException(target + ": tensor '" + key + "' takes the checkpoint past " + limit
                        + " bytes; archives of that size need zip64 records, which this writer does not write");
            }
            CRC32 crc = new CRC32();
            int perChunk = CHUNK_BYTES / elementBytes;
            for (int from = 0; from < length; from += perChunk) {
                int n = Math.min(perChunk, length - from);
                chunk.clear();
                filler.fill(from, n);
                chunk.limit(n * elementBytes);
                crc.update(chunk.array(), 0, n * elementBytes);
                while (chunk.hasRemaining()) {
                    spool.write(chunk);
                }
            }
            tensors.add(new Stored(key, storageClass, String.valueOf(tensors.size()), length, dims, contiguousStride(dims),
                    spoolSize, bytes, (int) crc.getValue()));
            keys.add(key);
            spoolSize += bytes;
        } catch (IOException | RuntimeException e) {
            discard(e);
            throw e;
        }
    }

    private long[] checkTensor(String key, long[] shape, int length) {
        if (key == null || shape == null || length < 0) {
            throw new IllegalArgumentException("tensor " + key + ": key, shape and values must not be null");
        }
        if (keys.contains(key)) {
            throw new IllegalArgumentException("tensor '" + key + "' was added twice");
        }
        long[] dims = shape.clone();
        long numel = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + key + "': negative size in shape " + Arrays.toString(dims));
            }
            numel = Math.multiplyExact(numel, d);
        }
        if (numel != length) {
            throw new IllegalArgumentException("tensor '" + key + "': shape " + Arrays.toString(dims) + " holds " + numel
                    + " elements but " + length + " values were given");
        }
        return dims;
    }

    // torch's contiguous strides: a size-0 dimension counts as 1
    private static long[] contiguousStride(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return stride;
    }

    private void writeArchive() throws IOException {
        PickleWriter p = new PickleWriter().memoize(true).proto2();
        StateDictPickle.orderedDict(p, tensors, Stored::key, (q, t) -> StateDictPickle.rebuildTensorV2(q,
                        id -> StateDictPickle.zipStorageId(id, t.storageClass(), t.storageKey(), LOCATION, t.numel()),
                        0, t.shape(), t.stride()),
                modules.isEmpty() ? derivedModules() : modules);
        byte[] dataPkl = p.stop();
        List<Stored> storageOrder = new ArrayList<>(tensors);
        storageOrder.sort(Comparator.comparing(Stored::storageKey)); // torch: sorted(serialized_storages.keys())
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TorchZipRecords zip = new TorchZipRecords(out, limit);
            zip.record(stem + "/data.pkl", dataPkl);
            for (Stored t : storageOrder) {
                zip.record(stem + "/data/" + t.storageKey(), spool, t.spoolOffset(), t.bytes(), t.crc());
            }
            zip.record(stem + "/version", VERSION.getBytes(StandardCharsets.US_ASCII));
            zip.finish();
            out.force(true);
        }
        spool.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Map<String, Integer> derivedModules() {
        Map<String, Integer> versions = new LinkedHashMap<>();
        versions.put("", 1);
        for (Stored t : tensors) {
            String key = t.key();
            for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
                versions.putIfAbsent(key.substring(0, dot), 1);
            }
            int last = key.lastIndexOf('.');
            if (key.substring(last + 1).equals("num_batches_tracked")) {
                versions.put(last < 0 ? "" : key.substring(0, last), 2);
            }
        }
        return versions;
    }

    private void ensureOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException(target + ": the checkpoint writer is "
                    + (state == State.CLOSED ? "closed" : "discarded after an earlier failure or abort(); nothing was written"));
        }
    }

    /** Deletes the spool and the temporary file; cleanup failures are added to {@code e}, the failure being thrown. */
    private void discard(Exception e) {
        state = State.DISCARDED;
        for (Path file : new Path[] {temp, spoolFile}) {
            try {
                if (file == spoolFile) {
                    spool.close();
                }
                Files.deleteIfExists(file);
            } catch (IOException cleanup) {
                if (e != null) {
                    e.addSuppressed(cleanup);
                }
            }
        }
    }
}

package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch zip checkpoint ({@code torch.save} with torch &gt;= 1.6) holding a state_dict.
 *
 * <p>{@link #open} parses only {@code <stem>/data.pkl}, which describes every tensor; each
 * {@code readFloats} then reads the bytes of that one tensor from its storage entry. Memory
 * therefore stays at about one tensor, however large the checkpoint.
 *
 * <p>Reads may run concurrently ({@link java.util.zip.ZipFile} is thread-safe); closing while a
 * read runs is not supported.
 */
public final class TorchCheckpoint implements AutoCloseable {
    private final Path file;
    private final CheckpointArchive archive;
    private final Map<String, TensorInfo> tensors;
    private final List<String> keys;
    private final Float32Reader floats;
    private volatile boolean closed;

    private TorchCheckpoint(Path file, CheckpointArchive archive, Map<String, TensorInfo> tensors) {
        this.file = file;
        this.archive = archive;
        this.tensors = tensors;
        this.keys = List.copyOf(tensors.keySet());
        this.floats = new Float32Reader(file, archive);
    }

    /** Opens the file and parses its {@code data.pkl}; storages are not read here. */
    public static TorchCheckpoint open(Path file) throws CheckpointException {
        CheckpointArchive archive = CheckpointArchive.open(file);
        try {
            Object root;
            try (InputStream in = archive.openDataPkl()) {
                root = StateDictUnpickler.unpickle(in);
            } catch (IOException | RuntimeException e) {
                // razorvine reports bad pickles as unchecked PickleException or ClassCastException
                throw new CheckpointException(file, "cannot unpickle " + archive.stem() + "/data.pkl: " + e, e);
            }
            return new TorchCheckpoint(file, archive, new StateDictDecoder(file).decode(root));
        } catch (CheckpointException e) {
            try {
                archive.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** State_dict keys in file order. */
    public List<String> keys() {
        return keys;
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** The tensor's dtype, shape, strides and storage location; works for every dtype. */
    public TensorInfo info(String key) throws CheckpointException {
        TensorInfo info = tensors.get(key);
        if (info == null) {
            throw new CheckpointException(file, key, "no such key in the checkpoint (" + tensors.size() + " keys)");
        }
        return info;
    }

    /**
     * The tensor's values as a row-major contiguous copy, honouring storage offset and strides.
     * Only float32 tensors can be read.
     */
    public float[] readFloats(String key) throws CheckpointException {
        TensorInfo info = info(key);
        if (!info.dtype().equals("float32")) {
            throw new CheckpointException(file, key, "dtype " + info.dtype() + " is not supported, only float32 can be read");
        }
        ensureOpen();
        return floats.read(info);
    }

    /** {@link #readFloats(String)}, after checking that the tensor has exactly the expected shape. */
    public float[] readFloats(String key, long... expectedShape) throws CheckpointException {
        long[] actual = info(key).shape();
        if (!Arrays.equals(actual, expectedShape)) {
            throw new CheckpointException(file, key, "expected shape " + Arrays.toString(expectedShape)
                    + " but the checkpoint has " + Arrays.toString(actual));
        }
        return readFloats(key);
    }

    @Override
    public void close() {
        closed = true;
        try {
            archive.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot close", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": checkpoint is closed");
        }
    }
}

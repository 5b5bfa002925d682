package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch checkpoint holding a state_dict, in either layout {@code torch.save} has written: the
 * zip of torch &gt;= 1.6, or the legacy pickle stream of older versions (torchvision's ImageNet
 * weights, for one). Callers see the same keys, infos and values from both.
 *
 * <p>{@link #open} parses only the pickle that describes every tensor ({@code <stem>/data.pkl} in
 * a zip; a legacy file's head, plus one pass over its data section that reads the 8-byte element
 * count of each storage and skips its bytes); each {@code readFloats} then reads the bytes of
 * that one tensor from its storage. Memory therefore stays at about one tensor, however large the
 * checkpoint.
 *
 * <p>Reads may run concurrently ({@link java.util.zip.ZipFile} is thread-safe, and legacy files
 * are read by positional reads of one {@link java.nio.channels.FileChannel}); closing while a read
 * runs is not supported.
 */
public final class TorchCheckpoint implements AutoCloseable {
    private final Path file;
    private final StorageSource storages;
    private final Map<String, TensorInfo> tensors;
    private final List<String> keys;
    private final Map<String, Integer> moduleVersions;
    private final Float32Reader floats;
    private volatile boolean closed;

    private TorchCheckpoint(Path file, StorageSource storages, Map<String, TensorInfo> tensors,
                            Map<String, Integer> moduleVersions) {
        this.file = file;
        this.storages = storages;
        this.tensors = tensors;
        this.keys = List.copyOf(tensors.keySet());
        this.moduleVersions = moduleVersions;
        this.floats = new Float32Reader(file, storages);
    }

    /** Opens the file, in either format, and parses its tensor descriptions; storages are not read here. */
    public static TorchCheckpoint open(Path file) throws CheckpointException {
        return switch (FileSignature.check(file)) {
            case ZIP -> openZip(file);
            case LEGACY -> {
                LegacyCheckpointFile legacy = LegacyCheckpointFile.open(file);
                yield new TorchCheckpoint(file, legacy, legacy.tensors(), legacy.moduleVersions());
            }
        };
    }

    private static TorchCheckpoint openZip(Path file) throws CheckpointException {
        CheckpointArchive archive = CheckpointArchive.open(file);
        try {
            Object root;
            try (InputStream in = archive.openDataPkl()) {
                root = StateDictUnpickler.unpickle(in);
            } catch (IOException | RuntimeException e) {
                // razorvine reports bad pickles as unchecked PickleException or ClassCastException
                throw new CheckpointException(file, "cannot unpickle " + archive.stem() + "/data.pkl: " + e, e);
            }
            return new TorchCheckpoint(file, archive, new StateDictDecoder(file, "data.pkl").decode(root),
                    StateDictDecoder.moduleVersions(root));
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

    /**
     * The module versions torch recorded in the state_dict's {@code _metadata} (module prefix to
     * {@code _version}, {@code ""} for the root), in file order; empty for files without one. Not
     * needed to read tensors; {@link TorchCheckpointWriter#module} writes them back.
     */
    public Map<String, Integer> moduleVersions() {
        return moduleVersions;
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
            storages.close();
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

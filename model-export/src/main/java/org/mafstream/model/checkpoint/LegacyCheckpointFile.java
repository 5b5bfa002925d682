package org.mafstream.model.checkpoint;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Unpickler;

/**
 * The legacy side of a torch.save file (torch &lt; 1.6, or {@code _use_new_zipfile_serialization=False}):
 * five pickles back to back, then the raw storages.
 *
 * <ol>
 *   <li>the magic number {@code 0x1950a86a20f9469cfc6c};
 *   <li>the protocol version, {@code 1001};
 *   <li>a sys_info dict ({@code protocol_version}, {@code little_endian}, {@code type_sizes});
 *   <li>the saved object, here the state_dict, whose storages are persistent ids
 *       {@code ('storage', torch.FloatStorage, root_key, location, numel, view_metadata)};
 *   <li>the list of root storage keys, in the order their data follows;
 *   <li>per key: its element count as a little-endian int64, then numel &times; element size bytes.
 * </ol>
 *
 * <p>{@link #open} unpickles the five small pickles from a buffered stream, then walks the data
 * section reading only the 8-byte counts, skipping the data, which yields each storage's byte
 * range; {@link #find} serves those ranges by positional reads of one {@link FileChannel}, which
 * is safe for concurrent readers. Nothing is read twice and no storage is held in memory.
 */
final class LegacyCheckpointFile implements StorageSource {
    static final BigInteger MAGIC_NUMBER = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final int PROTOCOL_VERSION = 1001;
    private static final String OBJECT = "the pickled state_dict";
    private static final int COUNT_BYTES = Long.BYTES;

    private final Path file;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, Integer> moduleVersions;
    private final Map<String, Range> ranges;

    /** Where one storage's data lies in the file. */
    private record Range(long start, long length) {
    }

    private LegacyCheckpointFile(Path file, FileChannel channel, Map<String, TensorInfo> tensors,
                                 Map<String, Integer> moduleVersions, Map<String, Range> ranges) {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
        this.moduleVersions = moduleVersions;
        this.ranges = ranges;
    }

    /** Opens a file that {@link FileSignature} found to start with a pickle, checking its whole layout. */
    static LegacyCheckpointFile open(Path file) throws CheckpointException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot open: " + e, e);
        }
        try {
            return read(file, channel);
        } catch (CheckpointException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** State_dict keys to tensor infos, in file order. */
    Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The state_dict's {@code _metadata} module versions (torch &gt;= 0.4), in file order. */
    Map<String, Integer> moduleVersions() {
        return moduleVersions;
    }

    @Override
    public StorageBytes find(TensorInfo tensor) throws CheckpointException {
        Range range = ranges.get(tensor.storageKey());
        if (range == null) {
            // open() checked that every storage a tensor names is in the data section
            throw new CheckpointException(file, tensor.key(), "storage '" + tensor.storageKey() + "' is not in the file");
        }
        return new StorageBytes("storage '" + tensor.storageKey() + "' (" + range.length() + " bytes from byte "
                + range.start() + ")", range.length(), "truncated file?",
                () -> new ChannelSlice(channel, range.start(), range.start() + range.length()));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static LegacyCheckpointFile read(Path file, FileChannel channel) throws CheckpointException {
        long fileSize;
        try {
            fileSize = channel.size();
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        Pickles pickles = new Pickles(file, channel, fileSize);

        Object magic = pickles.next("the magic number", new StateDictUnpickler());
        if (!(magic instanceof Integer || magic instanceof Long || magic instanceof BigInteger)
                || !new BigInteger(magic.toString()).equals(MAGIC_NUMBER)) {
            throw new CheckpointException(file, "wrong magic number: the first pickle holds " + PickleValues.describe(magic)
                    + ", torch.save writes 0x" + MAGIC_NUMBER.toString(16) + " (not a legacy torch.save file, or a corrupt one)");
        }
        Object version = pickles.next("the protocol version", new StateDictUnpickler());
        if (!(version instanceof Integer v) || v != PROTOCOL_VERSION) {
            throw new CheckpointException(file, "unsupported legacy protocol version " + PickleValues.describe(version)
                    + ": only " + PROTOCOL_VERSION + " (torch 0.1.10 to 1.x) can be read");
        }
        checkSysInfo(file, pickles.next("the sys_info dict", new StateDictUnpickler()));

        StateDictUnpickler objectUnpickler = new StateDictUnpickler();
        Object root = pickles.next(OBJECT, objectUnpickler);
        Map<String, TensorInfo> tensors = new StateDictDecoder(file, OBJECT).decode(root);
        Map<String, StorageRef> roots = rootStorages(file, objectUnpickler.storages());

        Object keyList = pickles.next("the list of storage keys", new StateDictUnpickler());
        if (!(keyList instanceof List<?> keys)) {
            throw new CheckpointException(file, "the pickle after the state_dict holds " + PickleValues.describe(keyList)
                    + ", not the list of storage keys");
        }
        Map<String, Range> ranges = index(file, channel, fileSize, pickles.position(), keys, roots);
        for (TensorInfo tensor : tensors.values()) {
            if (!ranges.containsKey(tensor.storageKey())) {
                throw new CheckpointException(file, tensor.key(), "storage '" + tensor.storageKey()
                        + "' is missing from the list of storage keys " + PickleValues.describe(keys)
                        + ", so the file has no data for it");
            }
        }
        return new LegacyCheckpointFile(file, channel, tensors, StateDictDecoder.moduleVersions(root), ranges);
    }

    private static void checkSysInfo(Path file, Object sysInfo) throws CheckpointException {
        if (!(sysInfo instanceof Map<?, ?> info)) {
            throw new CheckpointException(file, "the third pickle holds " + PickleValues.describe(sysInfo)
                    + ", not the sys_info dict");
        }
        if (Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new CheckpointException(file, "storages are stored big-endian (sys_info little_endian=False);"
                    + " only little-endian checkpoints are supported");
        }
    }

    /** Root storage key to its persistent id; every id naming one key must agree on dtype and size. */
    private static Map<String, StorageRef> rootStorages(Path file, List<StorageRef> refs) throws CheckpointException {
        Map<String, StorageRef> roots = new HashMap<>();
        for (StorageRef ref : refs) {
            StorageRef first = roots.putIfAbsent(ref.key(), ref);
            if (first != null && (!first.dtype().equals(ref.dtype()) || first.numel() != ref.numel())) {
                throw new CheckpointException(file, "storage '" + ref.key() + "' is named both as " + first.numel()
                        + " " + first.dtype() + " and as " + ref.numel() + " " + ref.dtype() + " elements");
            }
        }
        return roots;
    }

    /**
     * One pass over the data section from {@code start}: reads each 8-byte element count, checks
     * it, and skips the data.
     */
    private static Map<String, Range> index(Path file, FileChannel channel, long fileSize, long start, List<?> keys,
            Map<String, StorageRef> roots) throws CheckpointException {
        Map<String, Range> ranges = new LinkedHashMap<>();
        long position = start;
        for (Object k : keys) {
            if (!(k instanceof String key)) {
                throw new CheckpointException(file, "the list of storage keys holds " + PickleValues.describe(k)
                        + ", not a key");
            }
            if (ranges.containsKey(key)) {
                throw new CheckpointException(file, "storage key '" + key + "' is listed twice in the list of storage keys");
            }
            StorageRef ref = roots.get(key);
            if (ref == null) {
                throw new CheckpointException(file, "the list of storage keys names '" + key
                        + "', which no tensor uses: its size and element type are unknown");
            }
            Integer elementBytes = StorageTypes.ELEMENT_BYTES.get(ref.dtype());
            if (elementBytes == null) {
                throw new CheckpointException(file, "storage '" + key + "' has the unsupported type " + ref.dtype()
                        + ", whose element size is unknown: the storages after it cannot be found");
            }
            if (position + COUNT_BYTES > fileSize) {
                throw truncated(file, fileSize, "inside the element count of storage '" + key + "' (at byte " + position + ")");
            }
            long count = readCount(file, channel, position);
            if (count != ref.numel()) {
                throw new CheckpointException(file, "storage '" + key + "' holds " + count
                        + " elements in the data section, but its persistent id says " + ref.numel());
            }
            long length;
            try {
                length = Math.multiplyExact(count, (long) elementBytes);
            } catch (ArithmeticException e) {
                throw new CheckpointException(file, "storage '" + key + "': " + count + " elements overflow a long");
            }
            long dataStart = position + COUNT_BYTES;
            if (length > fileSize - dataStart) {
                throw truncated(file, fileSize, "inside the data of storage '" + key + "', which needs " + length
                        + " bytes from byte " + dataStart);
            }
            ranges.put(key, new Range(dataStart, length));
            position = dataStart + length;
        }
        return ranges;
    }

    private static long readCount(Path file, FileChannel channel, long position) throws CheckpointException {
        ByteBuffer buffer = ByteBuffer.allocate(COUNT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new CheckpointException(file, "truncated file: it ends inside the element count at byte " + position);
                }
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the element count at byte " + position + ": " + e, e);
        }
        return buffer.flip().getLong();
    }

    private static CheckpointException truncated(Path file, long fileSize, String where) {
        return new CheckpointException(file, "truncated file: it ends at byte " + fileSize + ", " + where);
    }

    /** The pickles at the head of the file, read one after the other from one buffered stream. */
    private static final class Pickles {
        private final Path file;
        private final long fileSize;
        private final CountingStream in;

        Pickles(Path file, FileChannel channel, long fileSize) {
            this.file = file;
            this.fileSize = fileSize;
            this.in = new CountingStream(new BufferedInputStream(new ChannelSlice(channel, 0, fileSize), 64 * 1024));
        }

        /** Where the next pickle starts: razorvine reads nothing past a pickle's STOP opcode. */
        long position() {
            return in.count;
        }

        Object next(String what, Unpickler unpickler) throws CheckpointException {
            long start = in.count;
            try {
                return unpickler.load(in);
            } catch (IOException | RuntimeException e) {
                // razorvine reports bad pickles as IOException, PickleException or ClassCastException
                if (in.count >= fileSize) {
                    throw truncated(file, fileSize, "inside " + what + " (a pickle from byte " + start + ")");
                }
                throw new CheckpointException(file, "cannot unpickle " + what + " (from byte " + start + "): " + e, e);
            } finally {
                unpickler.close(); // closes our stream too, which ignores it
            }
        }
    }

    /** Counts the bytes it hands on; ignores close, as each unpickler closes its input. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the file channel is closed by LegacyCheckpointFile.close
        }
    }

    /** Bytes {@code [position, end)} of a file by positional reads: independent of other readers. */
    private static final class ChannelSlice extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        ChannelSlice(FileChannel channel, long position, long end) {
            this.channel = channel;
            this.position = position;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
    }
}

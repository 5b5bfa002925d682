package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip side of a torch.save file: {@code <stem>/data.pkl}, {@code <stem>/data/<key>} and
 * {@code <stem>/version}. {@link ZipFile} reads only the central directory up front; entry bytes
 * are read when asked for.
 */
final class CheckpointArchive implements StorageSource {
    private final Path file;
    private final ZipFile zip;
    private final String stem;

    private CheckpointArchive(Path file, ZipFile zip, String stem) {
        this.file = file;
        this.zip = zip;
        this.stem = stem;
    }

    /** Opens a file that {@link FileSignature} found to be a zip. */
    static CheckpointArchive open(Path file) throws CheckpointException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file, "truncated or corrupt zip (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot open: " + e, e);
        }
        try {
            CheckpointArchive archive = new CheckpointArchive(file, zip, findStem(file, zip));
            archive.checkLittleEndian();
            return archive;
        } catch (CheckpointException | RuntimeException e) {
            closeQuietly(zip, e);
            throw e;
        }
    }

    String stem() {
        return stem;
    }

    InputStream openDataPkl() throws IOException {
        return zip.getInputStream(zip.getEntry(stem + "/data.pkl"));
    }

    /** The storage entry of one tensor; an error naming the key when it is missing. */
    @Override
    public StorageBytes find(TensorInfo tensor) throws CheckpointException {
        String name = stem + "/data/" + tensor.storageKey();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new CheckpointException(file, tensor.key(), "storage entry " + name + " is missing from the zip");
        }
        // A STORED entry's stream skips by moving its file position: nothing before is read.
        return new StorageBytes("storage entry " + name, entry.getSize(), "truncated or corrupt zip?",
                () -> zip.getInputStream(entry));
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    // torch names the single top-level folder after the file it first saved to; find it.
    private static String findStem(Path file, ZipFile zip) throws CheckpointException {
        List<String> stems = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash).equals("/data.pkl")) {
                stems.add(name.substring(0, slash));
            }
        }
        if (stems.isEmpty()) {
            throw new CheckpointException(file, "zip has no <stem>/data.pkl entry: not a torch.save checkpoint");
        }
        if (stems.size() > 1) {
            throw new CheckpointException(file, "zip has several top-level folders with a data.pkl: " + stems);
        }
        return stems.get(0);
    }

    // torch >= 2.1 records the byte order of the storages; older files are always little-endian.
    private void checkLittleEndian() throws CheckpointException {
        ZipEntry entry = zip.getEntry(stem + "/byteorder");
        if (entry == null) {
            return;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            String order = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new CheckpointException(file, "storages are stored '" + order
                        + "'-endian; only little-endian checkpoints are supported");
            }
        } catch (IOException e) {
            if (e instanceof CheckpointException c) {
                throw c;
            }
            throw new CheckpointException(file, "cannot read " + entry.getName() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ZipFile zip, Exception primary) {
        try {
            zip.close();
        } catch (IOException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}

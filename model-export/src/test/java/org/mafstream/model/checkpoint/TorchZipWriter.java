package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test-only writer of the torch.save zip format, so tests can use known values. The
 * {@code data.pkl} is {@link StateDictWriter#pickle()} (without the memo, which the reader does
 * not need), its storages are {@code ('storage', torch.<class>, key, location, numel)}; each
 * storage is the entry {@code <stem>/data/<key>}. Entries are STORED.
 */
final class TorchZipWriter extends StateDictWriter<TorchZipWriter> {
    private final String stem;
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();
    private byte[] dataPklOverride;

    TorchZipWriter(String stem) {
        this.stem = stem;
    }

    @Override
    TorchZipWriter self() {
        return this;
    }

    /** Replaces the generated data.pkl. */
    TorchZipWriter dataPkl(byte[] pickle) {
        this.dataPklOverride = pickle.clone();
        return this;
    }

    /** An additional entry under the stem, e.g. {@code byteorder}. */
    TorchZipWriter entry(String nameUnderStem, byte[] bytes) {
        extraEntries.put(nameUnderStem, bytes.clone());
        return this;
    }

    @Override
    void storageId(PickleWriter p, Tensor t) {
        Storage s = storages.get(t.storageKey());
        p.op(PickleWriter.MARK).string("storage").global("torch", s.storageClass())
                .string(t.storageKey()).string(location()).integer(s.numel()).op(PickleWriter.TUPLE).op(PickleWriter.BINPERSID);
    }

    Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            putStored(zip, stem + "/data.pkl", dataPklOverride != null ? dataPklOverride : pickle());
            for (Map.Entry<String, Storage> s : storages.entrySet()) {
                putStored(zip, stem + "/data/" + s.getKey(), s.getValue().bytes());
            }
            for (Map.Entry<String, byte[]> e : extraEntries.entrySet()) {
                putStored(zip, stem + "/" + e.getKey(), e.getValue());
            }
            putStored(zip, stem + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }
}

package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-only writer of the torch.save zip format for what {@link TorchCheckpointWriter} does not
 * write: any storage class, several tensors on one storage, offsets and strides, storages that do
 * not match their tensors, extra entries, a replaced data.pkl, any folder name. The data.pkl is
 * {@link StateDictWriter#pickle()} (without the memo, which the reader does not need), its storages
 * are {@code ('storage', torch.<class>, key, location, numel)}; each storage is the entry
 * {@code <stem>/data/<key>}, in insertion order, laid out by main's {@link TorchZipRecords}.
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
        StateDictPickle.zipStorageId(p, s.storageClass(), t.storageKey(), location(), s.numel());
    }

    Path write(Path file) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            TorchZipRecords zip = new TorchZipRecords(out, TorchZipRecords.DEFAULT_LIMIT);
            zip.record(stem + "/data.pkl", dataPklOverride != null ? dataPklOverride : pickle());
            for (Map.Entry<String, Storage> s : storages.entrySet()) {
                zip.record(stem + "/data/" + s.getKey(), s.getValue().bytes());
            }
            for (Map.Entry<String, byte[]> e : extraEntries.entrySet()) {
                zip.record(stem + "/" + e.getKey(), e.getValue());
            }
            zip.record(stem + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        }
        return file;
    }
}

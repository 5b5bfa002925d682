package org.mafstream.model.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The state file of {@link AdamW} and {@link BertAdam}: a format tag, the step count, the block
 * count, then per block its name, its length, its own step count when the optimiser keeps one,
 * and its float arrays (the parameters, then the moments), all big-endian ({@link DataOutputStream}).
 * Writing goes through a temporary file and a rename; reading checks the whole file before it
 * overwrites anything, so a refused file leaves the optimiser as it was.
 */
final class OptimiserStateFile {
    private OptimiserStateFile() {
    }

    /**
     * @param blockSteps one step count per block, or null for an optimiser without them
     * @param arrays     the per-block arrays to store, each a list with one array per block
     */
    static void write(Path file, int format, int steps, List<String> names, int[] blockSteps, List<List<float[]>> arrays)
            throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
            out.writeInt(format);
            out.writeInt(steps);
            out.writeInt(names.size());
            for (int b = 0; b < names.size(); b++) {
                out.writeUTF(names.get(b));
                out.writeInt(arrays.get(0).get(b).length);
                if (blockSteps != null) {
                    out.writeInt(blockSteps[b]);
                }
                for (List<float[]> kind : arrays) {
                    for (float x : kind.get(b)) {
                        out.writeFloat(x);
                    }
                }
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads what {@link #write} wrote with the same layout into {@code blockSteps} (if not null)
     * and {@code arrays}; blocks must match by name and length.
     *
     * @param kind the optimiser's name, for the message when the format tag differs
     * @return the saved step count
     */
    static int read(Path file, int format, String kind, List<String> names, int[] blockSteps, List<List<float[]>> arrays)
            throws IOException {
        read(file, format, kind, names, blockSteps, arrays, false);
        return read(file, format, kind, names, blockSteps, arrays, true);
    }

    /** One pass over the file: checking only (payload skipped), or also loading. */
    private static int read(Path file, int format, String kind, List<String> names, int[] blockSteps,
                            List<List<float[]>> arrays, boolean load) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != format) {
                throw new IOException(file + " is not " + kind + " checkpoint");
            }
            int steps = in.readInt();
            int blocks = in.readInt();
            if (steps < 0 || blocks != names.size()) {
                throw new IOException(file + " holds " + blocks + " parameter blocks after " + steps
                        + " steps, this model trains " + names.size());
            }
            for (int b = 0; b < blocks; b++) {
                String name = in.readUTF();
                int length = in.readInt();
                int expected = arrays.get(0).get(b).length;
                if (!name.equals(names.get(b)) || length != expected) {
                    throw new IOException(file + ": block " + b + " is " + name + " [" + length + "], expected "
                            + names.get(b) + " [" + expected + "]");
                }
                if (blockSteps != null) {
                    int blockStep = in.readInt();
                    if (blockStep < 0 || blockStep > steps) {
                        throw new IOException(file + ": block " + name + " has " + blockStep + " steps of " + steps);
                    }
                    if (load) {
                        blockSteps[b] = blockStep;
                    }
                }
                for (List<float[]> target : arrays) {
                    if (load) {
                        float[] values = target.get(b);
                        for (int i = 0; i < length; i++) {
                            values[i] = in.readFloat();
                        }
                    } else {
                        in.skipNBytes((long) Float.BYTES * length);
                    }
                }
            }
            if (in.read() != -1) {
                throw new IOException(file + " has bytes after its last block");
            }
            return steps;
        }
    }
}

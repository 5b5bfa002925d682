package org.mafstream.model.export;

import java.nio.file.Path;
import org.mafstream.model.arch.MafShape;

/**
 * What to export. Either the four files of an original MAF training run, or a random
 * initialisation of a given size ({@code randomInit} non-null).
 */
public record ExportRequest(
        Path model,
        Path encoder,
        Path config,
        Path modelConfig,
        Path vocab,
        Path out,
        String name,
        String version,
        MafShape randomInit,
        long seed) {

    public boolean isRandomInit() {
        return randomInit != null;
    }
}

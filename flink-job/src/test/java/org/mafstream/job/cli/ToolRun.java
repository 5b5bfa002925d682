package org.mafstream.job.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One run of a tool's {@code run(args, in, out, err)} with its exit status and captured output. */
public record ToolRun(int exitStatus, String out, String err) {
    public interface Tool {
        int run(String[] args, InputStream in, PrintStream out, PrintStream err);
    }

    public static ToolRun of(Tool tool, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = tool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ToolRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static ToolRun produce(String... args) {
        return of(ProducePosts::run, "", args);
    }

    public static ToolRun consume(String... args) {
        return of(ConsumeAnnotations::run, "", args);
    }

    public List<String> outLines() {
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    static String[] args(List<String> first, String... more) {
        String[] all = Arrays.copyOf(first.toArray(String[]::new), first.size() + more.length);
        System.arraycopy(more, 0, all, first.size(), more.length);
        return all;
    }
}

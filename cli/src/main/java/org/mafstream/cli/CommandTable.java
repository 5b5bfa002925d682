package org.mafstream.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mafstream.cli.ToolCommandLine.UsageException;

/**
 * A command made of subcommands, {@code PROGRAM COMMAND [options]}: the table of their names and
 * one-line summaries, {@code --help} listing them, and the dispatch to the one named.
 */
public final class CommandTable {
    /** A subcommand: runs with the arguments after its name and returns the exit status. */
    @FunctionalInterface
    public interface Command {
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    /** @param name how the user calls it, e.g. {@code demo} or {@code bench}; {@code synopsis} what follows it in the listing */
    public record Entry(String name, String synopsis, String summary, Command command) {
        public Entry(String name, String summary, Command command) {
            this(name, "", summary, command);
        }

        String label() {
            return synopsis.isEmpty() ? name : name + " " + synopsis;
        }
    }

    private final String program;
    private final String description;
    private final List<Entry> entries;

    /**
     * @param program how the user calls the whole command, e.g. {@code maf-stream} or {@code maf-stream bench}
     * @param description printed after the listing
     */
    public CommandTable(String program, String description, List<Entry> entries) {
        this.program = program;
        this.description = description;
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The subcommands, one line each: the usage's middle part, also for a command that lists them in its own help. */
    public String listing() {
        int width = entries.stream().mapToInt(e -> e.label().length()).max().orElse(0);
        StringBuilder listing = new StringBuilder();
        for (Entry entry : entries) {
            listing.append(String.format("  %-" + width + "s  %s%n", entry.label(), entry.summary()));
        }
        return listing.toString();
    }

    public String usage() {
        return "Usage: " + program + " COMMAND [options]\n\nCommands:\n" + listing() + "\n"
                + (description.isBlank() ? "" : description.strip() + "\n")
                + "Run '" + program + " COMMAND --help' for a command's options.\n";
    }

    /**
     * Runs the command {@code args[0]} names with the rest of {@code args}. {@code --help} (or
     * {@code -h}): the usage on {@code out}, status 0. No command or an unknown one: a usage
     * error on {@code err}, status 2; so is a {@link UsageException} the command throws.
     */
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(usage());
            return ToolCommandLine.HELP_SHOWN;
        }
        if (args.length == 0) {
            err.print(program + ": no command given.\n\n" + usage());
            return ToolCommandLine.USAGE_ERROR;
        }
        Optional<Entry> entry = find(args[0]);
        if (entry.isEmpty()) {
            err.println(program + ": unknown command '" + args[0] + "'. Commands: "
                    + entries.stream().map(Entry::name).collect(Collectors.joining(", ")));
            err.println("Run '" + program + " --help' for usage.");
            return ToolCommandLine.USAGE_ERROR;
        }
        String name = program + " " + entry.get().name();
        try {
            return entry.get().command().run(Arrays.copyOfRange(args, 1, args.length), out, err);
        } catch (UsageException e) {
            ToolCommandLine.reportUsageError(name, e, err);
            return ToolCommandLine.USAGE_ERROR;
        }
    }
}

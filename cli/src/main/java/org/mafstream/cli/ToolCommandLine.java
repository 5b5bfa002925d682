package org.mafstream.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The command line of every maf-stream tool: {@code --name value} options, {@code --flag}
 * switches, options whose value is one of a few choices, pass-through families such as
 * {@code --kafka.properties.<name> value}, and (only where a tool says so) positional arguments.
 * Unknown options are refused with the list of known ones, so a typo never passes as a default.
 */
public final class ToolCommandLine {
    /** Thrown for a command line that does not parse; the message says what to fix. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }

        public UsageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One option. {@code valueName} null: a switch without a value. {@code prefix}: a family of
     * options {@code --<name><suffix> value}, as {@code kafka.properties.} is. {@code choices}
     * not empty: the value must be one of them.
     */
    public record Option(String name, String valueName, boolean prefix, String help, List<String> choices) {
        public Option {
            choices = List.copyOf(choices);
        }

        public Option(String name, String valueName, boolean prefix, String help) {
            this(name, valueName, prefix, help, List.of());
        }

        public static Option value(String name, String valueName, String help) {
            return new Option(name, valueName, false, help);
        }

        public static Option flag(String name, String help) {
            return new Option(name, null, false, help);
        }

        public static Option family(String prefix, String valueName, String help) {
            return new Option(prefix, valueName, true, help);
        }

        /** An option whose value must be one of {@code choices}; a missing value is refused naming them. */
        public static Option choice(String name, List<String> choices, String help) {
            return new Option(name, String.join("|", choices), false, help, choices);
        }

        boolean isFlag() {
            return valueName == null;
        }

        String synopsis() {
            return "--" + name + (prefix ? "<name>" : "") + (isFlag() ? "" : " " + valueName);
        }
    }

    /** Exit status of a tool that was asked for help. */
    public static final int HELP_SHOWN = 0;
    /** Exit status of a tool given options it cannot run with. */
    public static final int USAGE_ERROR = 2;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|min|h|)");
    private static final Option HELP = Option.flag("help", "print this help and exit");

    private final String synopsis;
    private final String description;
    private final List<Option> options;
    /** What the positional arguments are (e.g. {@code FILE}), or null: the tool takes none. */
    private final String arguments;

    /**
     * A command line of options only; see {@link #withArguments} for one that also takes
     * positional arguments.
     *
     * @param synopsis the first usage line, e.g. {@code maf-stream produce [options] FILE...}
     * @param description what the tool does, printed after the options
     */
    public ToolCommandLine(String synopsis, String description, List<Option> options) {
        this(synopsis, description, withHelp(options), null);
    }

    private ToolCommandLine(String synopsis, String description, List<Option> options, String arguments) {
        this.synopsis = synopsis;
        this.description = description;
        this.options = options;
        this.arguments = arguments;
    }

    private static List<Option> withHelp(List<Option> options) {
        List<Option> all = new ArrayList<>(options);
        all.add(HELP);
        return List.copyOf(all);
    }

    /** This command line, also taking positional arguments, described as {@code what} (e.g. {@code FILE}). */
    public ToolCommandLine withArguments(String what) {
        return new ToolCommandLine(synopsis, description, options, what);
    }

    /** Help columns: option synopses up to this wide sit beside their help, longer ones above it. */
    private static final int SYNOPSIS_COLUMN = 32;
    private static final int LINE_WIDTH = 100;

    public String usage() {
        int width = Math.min(SYNOPSIS_COLUMN, options.stream().mapToInt(o -> o.synopsis().length()).max().orElse(0));
        String indent = " ".repeat(width + 4);
        StringBuilder usage = new StringBuilder("Usage: ").append(synopsis).append("\n\nOptions:\n");
        for (Option option : options) {
            List<String> help = wrap(option.help(), LINE_WIDTH - indent.length());
            if (option.synopsis().length() > width) {
                usage.append("  ").append(option.synopsis()).append('\n');
            } else {
                usage.append(String.format("  %-" + width + "s  %s%n", option.synopsis(), help.remove(0)));
            }
            help.forEach(line -> usage.append(indent).append(line).append('\n'));
        }
        return usage.append('\n').append(description.strip()).append('\n').toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * The tool's settings from {@code args}, or the exit status to end with instead: after
     * printing the usage for {@code --help} ({@link #HELP_SHOWN}), or after explaining a usage
     * error ({@link #USAGE_ERROR}), which {@code toSettings} may also throw.
     */
    public <S> Startup<S> settings(String tool, String[] args, Function<Parsed, S> toSettings, PrintStream out,
                                   PrintStream err) {
        try {
            Parsed parsed = parse(args);
            if (parsed.helpRequested()) {
                out.print(usage());
                return new Startup<>(null, HELP_SHOWN);
            }
            return new Startup<>(toSettings.apply(parsed), 0);
        } catch (UsageException e) {
            reportUsageError(tool, e, err);
            return new Startup<>(null, USAGE_ERROR);
        }
    }

    /** How every tool reports a usage error: one paragraph on standard error, no stack trace. */
    public static void reportUsageError(String tool, UsageException error, PrintStream err) {
        err.println(tool + ": " + error.getMessage());
        err.println("Run with --help for usage.");
    }

    /** Settings to run with, or (null) the status to exit with. */
    public record Startup<S>(S settings, int exitStatus) {}

    public Parsed parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            final String given = args[i];
            String arg = given;
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.equals("-h")) {
                arg = "--help";
            }
            String name = arg.startsWith("--") ? arg.substring(2) : arg;
            String inlineValue = null;
            int equals = name.indexOf('=');
            if (equals > 0) {
                inlineValue = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Option option = find(name).orElseThrow(() -> new UsageException("Unknown option " + given
                    + ". Known options: " + knownOptions()));
            String value;
            if (option.isFlag()) {
                if (inlineValue != null) {
                    throw new UsageException("Option --" + name + " takes no value");
                }
                value = "true";
            } else if (inlineValue != null) {
                value = inlineValue;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException("Option --" + name + " needs a value (" + option.valueName() + ")");
            }
            if (option.prefix() && name.length() == option.name().length()) {
                throw new UsageException("Option --" + option.name() + "<name> needs a name after the prefix");
            }
            if (!option.choices().isEmpty() && !option.choices().contains(value)) {
                throw new UsageException("Option --" + name + " must be one of " + String.join(", ", option.choices())
                        + ", got " + value);
            }
            if (values.put(name, value) != null) {
                throw new UsageException("Option --" + name + " is given more than once");
            }
        }
        // Help wins over everything else on the line, a stray argument included.
        if (arguments == null && !positional.isEmpty() && !values.containsKey(HELP.name())) {
            throw new UsageException("Unexpected argument " + positional.get(0) + ": this command takes options only"
                    + " (--name value)");
        }
        return new Parsed(values, positional);
    }

    private Optional<Option> find(String name) {
        return options.stream()
                .filter(o -> o.prefix() ? name.startsWith(o.name()) : name.equals(o.name()))
                .findFirst();
    }

    private String knownOptions() {
        return options.stream().map(o -> "--" + o.name() + (o.prefix() ? "<name>" : ""))
                .collect(Collectors.joining(", "));
    }

    /** A parsed command line. */
    public static final class Parsed {
        private final Map<String, String> values;
        private final List<String> positional;

        private Parsed(Map<String, String> values, List<String> positional) {
            this.values = values;
            this.positional = List.copyOf(positional);
        }

        public boolean helpRequested() {
            return values.containsKey(HELP.name());
        }

        public boolean has(String name) {
            return values.containsKey(name);
        }

        public Optional<String> get(String name) {
            return Optional.ofNullable(values.get(name));
        }

        public String get(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        public String required(String name) {
            String value = values.get(name);
            if (value == null || value.isBlank()) {
                throw new UsageException("Option --" + name + " is required");
            }
            return value;
        }

        /**
         * A path option, or empty when absent. A relative path stays relative: the JVM resolves
         * it against its working directory, which the launcher leaves as the user's.
         */
        public Optional<Path> path(String name) {
            return get(name).map(value -> {
                if (value.isBlank()) {
                    throw new UsageException("Option --" + name + " is empty");
                }
                return Path.of(value);
            });
        }

        public Path requiredPath(String name) {
            return Path.of(required(name));
        }

        /** A positive integer option, or empty when absent. */
        public Optional<Long> positiveLong(String name) {
            return get(name).map(value -> {
                long parsed = parseLong(name, value, "a positive integer");
                if (parsed <= 0) {
                    throw new UsageException("Option --" + name + " must be a positive integer, got " + value);
                }
                return parsed;
            });
        }

        /** A positive {@code int} option, or empty when absent. */
        public Optional<Integer> positiveInt(String name) {
            return positiveLong(name).map(value -> toInt(name, value));
        }

        /** An integer option of any sign, or empty when absent. */
        public Optional<Long> longInteger(String name) {
            return get(name).map(value -> parseLong(name, value, "an integer"));
        }

        /** An {@code int} option of at least {@code min}, or empty when absent. */
        public Optional<Integer> integer(String name, int min) {
            return longInteger(name).map(value -> {
                if (value < min) {
                    throw new UsageException("Option --" + name + " must be >= " + min + ", got " + value);
                }
                return toInt(name, value);
            });
        }

        /** A decimal number option ({@code 2e-3}, {@code 0.5}), or empty when absent. */
        public Optional<Double> number(String name) {
            return get(name).map(value -> {
                try {
                    double parsed = Double.parseDouble(value.trim());
                    if (Double.isFinite(parsed)) {
                        return parsed;
                    }
                } catch (NumberFormatException notANumber) {
                    // reported below
                }
                throw new UsageException("Option --" + name + " must be a number, got " + value);
            });
        }

        /** A positive decimal number option, or empty when absent. */
        public Optional<Double> positiveNumber(String name) {
            return number(name).map(value -> {
                if (value <= 0) {
                    throw new UsageException("Option --" + name + " must be positive, got " + get(name).orElseThrow());
                }
                return value;
            });
        }

        /** A comma-separated list of integers of at least {@code min} ({@code 0,50,200}), or empty when absent. */
        public Optional<List<Integer>> intList(String name, int min) {
            return get(name).map(value -> {
                List<Integer> list = new ArrayList<>();
                for (String item : value.split(",", -1)) {
                    long parsed = parseLong(name, item, "a comma-separated list of integers");
                    if (parsed < min) {
                        throw new UsageException("Option --" + name + " takes integers >= " + min + ", got " + value);
                    }
                    list.add(toInt(name, parsed));
                }
                return List.copyOf(list);
            });
        }

        private static long parseLong(String name, String value, String what) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("Option --" + name + " must be " + what + ", got " + value);
            }
        }

        private static int toInt(String name, long value) {
            if (value != (int) value) {
                throw new UsageException("Option --" + name + " is out of range: " + value);
            }
            return (int) value;
        }

        /**
         * A positive duration option, or empty when absent: {@code 500ms}, {@code 30s}, {@code 5m},
         * {@code 1h}, a plain number of seconds, or ISO-8601 ({@code PT30S}).
         */
        public Optional<Duration> positiveDuration(String name) {
            return get(name).map(value -> {
                Duration duration = parseDuration(value.trim().toLowerCase(Locale.ROOT));
                if (duration == null || duration.isZero() || duration.isNegative()) {
                    throw new UsageException("Option --" + name
                            + " must be a positive duration such as 500ms, 30s, 5m, 1h, got " + value);
                }
                return duration;
            });
        }

        private static Duration parseDuration(String value) {
            Matcher matcher = DURATION.matcher(value);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "", "s" -> Duration.ofSeconds(amount);
                    case "m", "min" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            try {
                return Duration.parse(value); // letters in either case
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        /** The options of a family, the prefix removed: {@code kafka.properties.acks=all} → {@code acks=all}. */
        public Map<String, String> family(String prefix) {
            Map<String, String> result = new LinkedHashMap<>();
            values.forEach((name, value) -> {
                if (name.startsWith(prefix)) {
                    result.put(name.substring(prefix.length()), value);
                }
            });
            return result;
        }

        /** Every option given, by name (a switch's value is {@code true}), in command-line order. */
        public Map<String, String> values() {
            return Collections.unmodifiableMap(values);
        }

        public List<String> positional() {
            return positional;
        }
    }
}

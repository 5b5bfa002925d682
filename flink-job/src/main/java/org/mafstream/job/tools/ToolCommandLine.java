package org.mafstream.job.tools;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The command line of the produce and consume tools: {@code --name value} options, {@code --flag}
 * switches, pass-through families such as {@code --kafka.properties.<name> value}, and positional
 * arguments. Unknown options are refused with the list of known ones, so a typo never passes as a
 * default.
 */
public final class ToolCommandLine {
    /** Thrown for a command line that does not parse; the message says what to fix. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * One option. {@code valueName} null: a switch without a value. {@code prefix}: a family of
     * options {@code --<name><suffix> value}, as {@code kafka.properties.} is.
     */
    public record Option(String name, String valueName, boolean prefix, String help) {
        public static Option value(String name, String valueName, String help) {
            return new Option(name, valueName, false, help);
        }

        public static Option flag(String name, String help) {
            return new Option(name, null, false, help);
        }

        public static Option family(String prefix, String valueName, String help) {
            return new Option(prefix, valueName, true, help);
        }

        boolean isFlag() {
            return valueName == null;
        }

        String synopsis() {
            return "--" + name + (prefix ? "<name>" : "") + (isFlag() ? "" : " " + valueName);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|min|h|)");
    private static final Option HELP = Option.flag("help", "print this help and exit");

    private final String synopsis;
    private final String description;
    private final List<Option> options;

    /**
     * @param synopsis the first usage line, e.g. {@code produce [options] FILE...}
     * @param description what the tool does, printed after the options
     */
    public ToolCommandLine(String synopsis, String description, List<Option> options) {
        this.synopsis = synopsis;
        this.description = description;
        this.options = new ArrayList<>(options);
        this.options.add(HELP);
    }

    public String usage() {
        int width = options.stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
        StringBuilder usage = new StringBuilder("Usage: ").append(synopsis).append("\n\nOptions:\n");
        for (Option option : options) {
            usage.append(String.format("  %-" + width + "s  %s%n", option.synopsis(), option.help()));
        }
        return usage.append('\n').append(description.strip()).append('\n').toString();
    }

    /** Exit status of a tool that was asked for help. */
    public static final int HELP_SHOWN = 0;
    /** Exit status of a tool given options it cannot run with. */
    public static final int USAGE_ERROR = 2;

    /**
     * The tool's settings from {@code args}, or the exit status to end with instead: after
     * printing the usage for {@code --help} ({@link #HELP_SHOWN}), or after explaining a usage
     * error ({@link #USAGE_ERROR}).
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
            err.println(tool + ": " + e.getMessage());
            err.println("Run with --help for usage.");
            return new Startup<>(null, USAGE_ERROR);
        }
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
            if (values.put(name, value) != null) {
                throw new UsageException("Option --" + name + " is given more than once");
            }
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

        /** A positive integer option, or empty when absent. */
        public Optional<Long> positiveLong(String name) {
            return get(name).map(value -> {
                try {
                    long parsed = Long.parseLong(value.trim());
                    if (parsed > 0) {
                        return parsed;
                    }
                } catch (NumberFormatException notANumber) {
                    // reported below
                }
                throw new UsageException("Option --" + name + " must be a positive integer, got " + value);
            });
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
                return Duration.parse(value);
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

        public List<String> positional() {
            return positional;
        }
    }
}

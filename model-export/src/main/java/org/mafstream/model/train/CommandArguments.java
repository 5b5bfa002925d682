package org.mafstream.model.train;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The train and fine-tune commands' arguments: {@code --option value} pairs and bare flags, each at most once. */
final class CommandArguments {
    private CommandArguments() {}

    /**
     * @return each given option's value (a flag's is "true"), or empty when --help or -h was given
     * @throws IllegalArgumentException with a message for the user
     */
    static Optional<Map<String, String>> parse(String[] args, Set<String> options, Set<String> flags) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return Optional.empty();
            }
            String value;
            if (flags.contains(arg)) {
                value = "true";
            } else if (!options.contains(arg)) {
                throw new IllegalArgumentException("unknown argument " + arg);
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            } else {
                value = args[++i];
            }
            if (values.put(arg, value) != null) {
                throw new IllegalArgumentException(arg + " given twice");
            }
        }
        return Optional.of(values);
    }
}

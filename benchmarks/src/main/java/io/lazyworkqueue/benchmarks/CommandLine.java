package io.lazyworkqueue.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A harness's command line of {@code --option value} pairs, every option optional: what was given,
 * read with a default for what was not, and errors that end with the harness's usage.
 */
final class CommandLine {

    private final Map<String, String> given;

    private final String usage;

    private CommandLine(Map<String, String> given, String usage) {
        this.given = given;
        this.usage = usage;
    }

    /**
     * @param usage the harness's usage, appended to every error
     * @param options the options the harness knows
     * @param args the arguments, as pairs of option and value
     * @return the command line
     * @throws IllegalArgumentException with the usage if an option is unknown or has no value
     */
    static CommandLine parse(String usage, Set<String> options, String... args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!options.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "\n" + usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value\n" + usage);
            }
            given.put(args[i], args[i + 1]);
        }
        return new CommandLine(given, usage);
    }

    /**
     * @param <T> the option's type
     * @param option the option
     * @param otherwise its value when it was not given
     * @param parse what makes the value of the text given
     * @return the option's value
     * @throws IllegalArgumentException with the usage if {@code parse} rejects the text
     */
    <T> T get(String option, T otherwise, Function<String, T> parse) {
        String text = given.get(option);
        if (text == null) {
            return otherwise;
        }
        try {
            return parse.apply(text);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(option + " " + text + ": " + ex.getMessage() + "\n" + usage, ex);
        }
    }
}

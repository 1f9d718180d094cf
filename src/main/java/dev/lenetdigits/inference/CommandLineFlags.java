package dev.lenetdigits.inference;

import dev.lenetdigits.UserException;

import java.util.Locale;
import java.util.function.Function;

/**
 * The command-line arguments of the inference jar's commands (predicting and {@code serve}), read one at a time
 * as "--flag value" or "--flag=value": that jar leaves picocli out, and both commands word their mistakes alike.
 */
public final class CommandLineFlags {
    private final String[] args;
    private final Function<String, UserException> usage;
    private int next;
    private String argument;
    private String flag;
    private String value;

    /** {@code usage} turns a message into the command's error (which names its --help). */
    public CommandLineFlags(String[] args, Function<String, UserException> usage) {
        this.args = args;
        this.usage = usage;
    }

    /** Moves to the next argument; false when there are none left. */
    public boolean next() {
        if (next >= args.length) {
            return false;
        }
        argument = args[next++];
        int eq = argument.indexOf('=');
        boolean inline = argument.startsWith("--") && eq > 0;
        flag = inline ? argument.substring(0, eq) : argument;
        value = inline ? argument.substring(eq + 1) : null;
        return true;
    }

    /** The argument as given. */
    public String argument() {
        return argument;
    }

    /** The argument without an "=value" part. */
    public String flag() {
        return flag;
    }

    /** The flag's value: after its "=", or else the next argument (taken once: asking again gives the same). */
    public String value() {
        if (value == null) {
            if (next >= args.length) {
                throw usage.apply(flag + ": needs a value");
            }
            value = args[next++];
        }
        return value;
    }

    /** The flag's value as an integer from {@code min} to {@code max}. */
    public int integer(int min, int max) {
        String value = value();
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage.apply(flag + ": '" + value + "' is not an integer " + min + "-" + max);
    }

    /** The flag's value as one of {@code type}'s constants, named in any case; {@code names} lists them. */
    public <E extends Enum<E>> E choice(Class<E> type, String names) {
        String value = value();
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage.apply(flag + ": '" + value + "' is not one of " + names);
        }
    }
}

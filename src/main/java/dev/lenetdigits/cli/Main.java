package dev.lenetdigits.cli;

import dev.lenetdigits.UserException;
import dev.lenetdigits.device.MallocSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;

/** {@code java -jar lenet-digits.jar COMMAND ...}: the command-line entry point. */
@Command(name = "lenet-digits", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train a LeNet on handwritten digits (MNIST, Kaggle Digit Recognizer) with libtorch.",
        subcommands = {QuickstartCommand.class, FetchCommand.class, TrainCommand.class, PredictCommand.class,
                EvaluateCommand.class, CombineCommand.class, ScoreCommand.class, KaggleSplitCommand.class, BenchCommand.class,
                DeviceCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for errors the user can fix: bad flags, bad files, missing device. */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        // libtorch runs the larger recipes far slower under glibc's default malloc settings, read only at start-up
        OptionalInt relaunched = MallocSettings.relaunchIfNeeded(Main.class, args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
        }
        System.setProperty("java.awt.headless", "true"); // plots are drawn off-screen, also without a display
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine command = ex.getCommandLine();
            PrintWriter err = command.getErr();
            err.println(command.getCommandName() + ": " + problem(ex)
                    + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserException) {
                PrintWriter err = commandLine.getErr();
                err.println("error: " + ex.getMessage());
                err.flush();
                return USER_ERROR;
            }
            throw ex; // a bug: keep its stack trace
        });
        return cli.execute(args);
    }

    /**
     * What to tell the user. picocli checks required options before it complains about unknown ones, so
     * {@code train --trian x.csv --model m.pt} would only say that --train is missing; name the misspelt flag
     * instead, with picocli's guess at what was meant.
     */
    private static String problem(CommandLine.ParameterException ex) {
        CommandLine command = ex.getCommandLine();
        List<String> unknown = ex instanceof CommandLine.UnmatchedArgumentException unmatched
                ? unmatched.getUnmatched() : command.getUnmatchedArguments();
        if (unknown.isEmpty()) {
            return ex.getMessage();
        }
        // the value after an unknown flag is unmatched too; name just the flags when there are any
        List<String> flags = unknown.stream().filter(a -> a.startsWith("-")).toList();
        var named = new CommandLine.UnmatchedArgumentException(command, flags.isEmpty() ? unknown : flags);
        // picocli guesses by letters in common, which offers "evaluate" for "frobnicate": keep the guesses that
        // at least begin as the typed word does
        String typed = strip(named.getUnmatched().get(0));
        List<String> guesses = named.getSuggestions().stream()
                .filter(g -> !typed.isEmpty() && strip(g).startsWith(typed.substring(0, 1))).toList();
        return named.getMessage() + (guesses.isEmpty() ? "" : "; did you mean " + String.join(" or ", guesses) + "?");
    }

    private static String strip(String flag) {
        return flag.replaceFirst("^-+", "");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lenet-digits " + (v == null ? "(development build)" : v)};
        }
    }
}

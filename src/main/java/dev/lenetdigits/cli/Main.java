package dev.lenetdigits.cli;

import dev.lenetdigits.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code java -jar lenet-digits.jar COMMAND ...}: the command-line entry point. */
@Command(name = "lenet-digits", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train a LeNet on handwritten digits (MNIST, Kaggle Digit Recognizer) with libtorch.",
        subcommands = {QuickstartCommand.class, FetchCommand.class, TrainCommand.class, PredictCommand.class,
                EvaluateCommand.class, CombineCommand.class, ScoreCommand.class, KaggleSplitCommand.class, BenchCommand.class,
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
        System.setProperty("java.awt.headless", "true"); // plots are drawn off-screen, also without a display
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage()
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
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

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lenet-digits " + (v == null ? "(development build)" : v)};
        }
    }
}

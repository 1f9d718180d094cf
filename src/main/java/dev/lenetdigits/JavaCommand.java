package dev.lenetdigits;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM of this Java installation: a main class on this JVM's class path,
 * or a jar, with JVM options and arguments. The CLI's relaunch with malloc settings, an ensemble's member
 * processes and the inference benchmark's start-up launches all start theirs through it.
 */
public final class JavaCommand {
    private final List<String> target;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();

    private JavaCommand(List<String> target) {
        this.target = target;
    }

    /** {@code java -cp <this JVM's class path> MAIN}. */
    public static JavaCommand mainClass(Class<?> main) {
        return new JavaCommand(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    }

    /** {@code java -jar JAR}. */
    public static JavaCommand jar(Path jar) {
        return new JavaCommand(List.of("-jar", jar.toString()));
    }

    /** Adds options for the JVM, which go before the main class or jar. */
    public JavaCommand jvmOptions(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /** Adds arguments for the program, which go after the main class or jar. */
    public JavaCommand arguments(List<String> more) {
        arguments.addAll(more);
        return this;
    }

    /** The whole command line, the {@code java} launcher first. */
    public List<String> toList() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(target);
        command.addAll(arguments);
        return command;
    }

    /** A process builder for {@link #toList()}. */
    public ProcessBuilder processBuilder() {
        return new ProcessBuilder(toList());
    }

    /** The options this JVM was started with, those from JDK_JAVA_OPTIONS and JAVA_TOOL_OPTIONS included. */
    public static List<String> thisJvmsOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /** This JVM's system properties whose names start with {@code prefix}, as {@code -Dname=value} options. */
    public static List<String> systemProperties(String prefix) {
        return System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).sorted()
                .map(k -> "-D" + k + "=" + System.getProperty(k)).toList();
    }
}

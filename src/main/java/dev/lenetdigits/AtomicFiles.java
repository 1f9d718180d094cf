package dev.lenetdigits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes files so that they appear whole or not at all: the content goes to a temporary file in the
 * same folder, is flushed to disk, and is then renamed over the target.
 */
public final class AtomicFiles {
    /** Fills the temporary file it is given. */
    @FunctionalInterface
    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    private AtomicFiles() {}

    public static void write(Path target, Writer writer) {
        writeAll(Map.of(target, writer));
    }

    /**
     * Writes several files as one set: every file is written to its temporary first, and only when all of
     * them are complete are they renamed into place, so a failure on any leaves all targets as they were.
     */
    public static void writeAll(Map<Path, Writer> writers) {
        Map<Path, Path> finished = new LinkedHashMap<>(); // target → its complete temporary
        Path current = null;
        try {
            for (var entry : writers.entrySet()) {
                current = entry.getKey();
                finished.put(current.toAbsolutePath(), writeTemporary(current.toAbsolutePath(), entry.getValue()));
            }
            for (var entry : finished.entrySet()) {
                current = entry.getKey();
                try {
                    Files.move(entry.getValue(), current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(entry.getValue(), current, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            finished.clear();
        } catch (IOException e) {
            throw new UserException(current + ": cannot write (" + describe(e) + ")", e);
        } finally {
            // left here only when something failed: none of the set was moved into place (or the rest of it was not)
            for (Path leftover : finished.values()) {
                try {
                    Files.deleteIfExists(leftover);
                } catch (IOException ignored) {
                    // best effort: the temporary name never looks like a finished file
                }
            }
        }
    }

    /** Writes {@code target}'s content to a fresh temporary file beside it, flushed to disk; returns that file. */
    private static Path writeTemporary(Path target, Writer writer) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        removeLeftovers(dir, target.getFileName().toString());
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            // temporary files are created owner-only; the finished file gets ordinary permissions
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Deletes temporary files of this target left by a write that was killed: never trusted, only litter.
     * (Two processes writing the same file at once are not supported: one would lose its temporary file.)
     */
    private static void removeLeftovers(Path dir, String name) throws IOException {
        try (var files = Files.newDirectoryStream(dir, "." + name + ".*.part")) {
            for (Path leftover : files) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /** Refuses to write {@code output} over {@code input}: a typo must not destroy the user's data. */
    public static void refuseOverwrite(Path input, Path output) {
        try {
            if (Files.exists(output) && Files.isSameFile(input, output)) {
                throw new UserException(output + ": is also the input; choose another output file");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short reason for an I/O failure, without a stack trace. */
    public static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such file or folder";
            case "AccessDeniedException" -> "permission denied";
            case "FileSystemException" -> e.getMessage();
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
    }
}

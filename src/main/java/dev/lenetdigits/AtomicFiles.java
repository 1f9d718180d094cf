package dev.lenetdigits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            removeLeftovers(dir, absolute.getFileName().toString());
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            // temporary files are created owner-only; the finished file gets ordinary permissions
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UserException(target + ": cannot write (" + describe(e) + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary name never looks like a finished file
                }
            }
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

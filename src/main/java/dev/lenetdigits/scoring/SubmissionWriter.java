package dev.lenetdigits.scoring;

import dev.lenetdigits.AtomicFiles;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Writes Kaggle's submission format: header {@code ImageId,Label}, ImageId 1-based in input order. */
public final class SubmissionWriter {
    private SubmissionWriter() {}

    public static void write(Path out, int[] labels) {
        write(out, rows -> rows.accept(labels));
    }

    /** Produces the labels block by block, handing each block to the writer. */
    @FunctionalInterface
    public interface LabelSource {
        void produce(Consumer<int[]> rows);
    }

    /**
     * Writes labels as they are produced, numbering them on from 1; the file appears (by rename) only once
     * the source has finished without error. Returns how many rows were written.
     */
    public static long write(Path out, LabelSource source) {
        long[] count = {0};
        AtomicFiles.write(out, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("ImageId,Label\n");
                source.produce(labels -> {
                    try {
                        for (int label : labels) {
                            w.write(Long.toString(++count[0]));
                            w.write(',');
                            w.write(Integer.toString(label));
                            w.write('\n');
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        });
        return count[0];
    }
}

package dev.lenetdigits.inference;

import dev.lenetdigits.AtomicFiles;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes Kaggle's submission format: header {@code ImageId,Label}, ImageId 1-based in input order. */
public final class SubmissionWriter {
    private SubmissionWriter() {}

    public static void write(Path out, int[] labels) {
        AtomicFiles.write(out, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("ImageId,Label\n");
                for (int i = 0; i < labels.length; i++) {
                    w.write(Integer.toString(i + 1));
                    w.write(',');
                    w.write(Integer.toString(labels[i]));
                    w.write('\n');
                }
            }
        });
    }
}

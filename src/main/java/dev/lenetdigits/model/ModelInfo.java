package dev.lenetdigits.model;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a model file says about its weights besides the weights: which network, how inputs were scaled,
 * how many classes, how it was trained, and how well it did on its validation split.
 *
 * @param architecture       network name, e.g. "lenet"
 * @param normalization      input scaling used in training
 * @param classes            number of output classes
 * @param validationAccuracy final validation accuracy in [0,1], or NaN when training had no validation split
 * @param training           the training settings (flag name → value), for the record
 */
public record ModelInfo(String architecture, InputNormalization normalization, int classes,
                        double validationAccuracy, Map<String, String> training) {
    static final String FORMAT = "lenet-digits-model/1";

    /** Serialises to Java properties text, one property a line, sorted: equal info gives equal bytes. */
    String toText() {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("architecture", architecture);
        p.setProperty("normalization.mean", Double.toString(normalization.mean()));
        p.setProperty("normalization.std", Double.toString(normalization.std()));
        p.setProperty("classes", Integer.toString(classes));
        p.setProperty("validation.accuracy", Double.toString(validationAccuracy));
        training.forEach((k, v) -> p.setProperty("training." + k, v));
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // store() escapes line breaks inside values, so each property is one line; drop its date comment
        return out.toString().lines().filter(l -> !l.startsWith("#")).sorted()
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Parses what {@link #toText()} wrote; returns null when the text is not ours. */
    static ModelInfo fromText(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            return null;
        }
        try {
            Map<String, String> training = new TreeMap<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("training.")) {
                    training.put(key.substring("training.".length()), p.getProperty(key));
                }
            }
            return new ModelInfo(p.getProperty("architecture"),
                    new InputNormalization(Double.parseDouble(p.getProperty("normalization.mean")),
                            Double.parseDouble(p.getProperty("normalization.std"))),
                    Integer.parseInt(p.getProperty("classes")),
                    Double.parseDouble(p.getProperty("validation.accuracy")),
                    new LinkedHashMap<>(training));
        } catch (RuntimeException e) {
            return null;
        }
    }
}

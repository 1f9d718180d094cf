package dev.lenetdigits.model;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Prefix of a training-record key whose value lists one setting per ensemble member, in order, where the
     * members differ: {@code members.architecture=lenet-deep,lenet-deep+deskew}.
     */
    public static final String PER_MEMBER = "members.";

    /** The training record's key for the seeds of a combined ensemble's members, in order. */
    public static final String MEMBER_SEEDS = "member-seeds";

    /** The seeds of a model's {@code count} networks: as combine recorded them, else seed, seed+1, … as train uses. */
    public List<String> memberSeeds(int count) {
        String recorded = training.get(MEMBER_SEEDS);
        if (recorded != null && recorded.split(",").length == count) {
            return List.of(recorded.split(","));
        }
        long first = Long.parseLong(training.getOrDefault("seed", "1"));
        return java.util.stream.LongStream.range(first, first + count).mapToObj(Long::toString).toList();
    }

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

package dev.lenetdigits.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The classifier's answer for one digit: the predicted digit and the probability the model gives each of
 * the ten digits (its softmax output; they sum to 1). Immutable.
 */
public final class Prediction {
    /** One digit and the probability the model gives it; see {@link Prediction#top(int)}. */
    public record Candidate(int digit, float probability) {}

    private final int digit;
    private final float[] probabilities;

    /**
     * @param probabilities the ten softmax probabilities, digit 0 first (copied)
     * @throws IllegalArgumentException when there are not ten of them
     */
    public Prediction(float[] probabilities) {
        if (probabilities.length != 10) {
            throw new IllegalArgumentException("expected 10 probabilities, got " + probabilities.length);
        }
        this.probabilities = probabilities.clone();
        int best = 0;
        for (int d = 1; d < 10; d++) {
            if (probabilities[d] > probabilities[best]) {
                best = d;
            }
        }
        this.digit = best;
    }

    /** The predicted digit, 0-9: the most probable one (the lowest digit on a tie). */
    public int digit() {
        return digit;
    }

    /** The probability of the predicted digit. */
    public float probability() {
        return probabilities[digit];
    }

    /** The probability the model gives {@code digit} (0-9). */
    public float probability(int digit) {
        return probabilities[digit];
    }

    /** All ten probabilities, digit 0 first (a copy). */
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** The {@code k} most probable digits, most probable first ({@code k} from 1 to 10). */
    public List<Candidate> top(int k) {
        if (k < 1 || k > 10) {
            throw new IllegalArgumentException("top: k must be 1-10, got " + k);
        }
        Integer[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a])); // stable: ties by digit
        List<Candidate> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            out.add(new Candidate(order[i], probabilities[order[i]]));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && Arrays.equals(probabilities, p.probabilities);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Prediction[digit=%d, probability=%.4f]", digit, probability());
    }
}

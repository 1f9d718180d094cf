package dev.lenetdigits.inference;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * The classifier's answer for N digits, held compactly (what {@link DigitClassifier#predict} returns for a
 * whole file). {@link #get(int)} and {@link #toList()} give the same answers as {@link Prediction}s.
 *
 * @param labels        the predicted digit of each image
 * @param probabilities N×10 softmax probabilities, row-major
 */
public record Predictions(int[] labels, float[] probabilities) {
    /** The number of digits classified. */
    public int size() {
        return labels.length;
    }

    /** The probability the model gives digit {@code digit} for image {@code i}. */
    public float probability(int i, int digit) {
        return probabilities[i * 10 + digit];
    }

    /** Image {@code i}'s prediction. */
    public Prediction get(int i) {
        return new Prediction(Arrays.copyOfRange(probabilities, i * 10, i * 10 + 10));
    }

    /** Every image's prediction, in input order (a read-only view). */
    public List<Prediction> toList() {
        return new AbstractList<>() {
            @Override
            public Prediction get(int i) {
                return Predictions.this.get(i);
            }

            @Override
            public int size() {
                return labels.length;
            }
        };
    }
}

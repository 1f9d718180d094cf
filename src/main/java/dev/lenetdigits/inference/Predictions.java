package dev.lenetdigits.inference;

/**
 * The classifier's answer for N digits.
 *
 * @param labels        the predicted digit of each image
 * @param probabilities N×10 softmax probabilities, row-major
 */
public record Predictions(int[] labels, float[] probabilities) {
    public int size() {
        return labels.length;
    }

    /** The probability the model gives digit {@code digit} for image {@code i}. */
    public float probability(int i, int digit) {
        return probabilities[i * 10 + digit];
    }
}

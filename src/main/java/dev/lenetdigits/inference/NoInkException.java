package dev.lenetdigits.inference;

import dev.lenetdigits.UserException;

/**
 * An image in which {@link DigitImages} finds no ink: blank, or too faint to tell ink from paper. The
 * classifier refuses to guess a digit for it.
 */
public class NoInkException extends UserException {
    /** @param message one line naming the image */
    public NoInkException(String message) {
        super(message);
    }
}

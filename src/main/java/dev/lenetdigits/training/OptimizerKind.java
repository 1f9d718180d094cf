package dev.lenetdigits.training;

import java.util.Locale;

/** The optimizers {@code --optimizer} offers. */
public enum OptimizerKind {
    SGD, ADAM;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

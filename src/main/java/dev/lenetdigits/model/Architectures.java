package dev.lenetdigits.model;

import dev.lenetdigits.UserException;

import java.util.List;

/** The networks this version knows, by the name model files record. */
public final class Architectures {
    public static final List<String> NAMES = List.of(LeNet.ARCHITECTURE, LeNetPlus.ARCHITECTURE);

    private Architectures() {}

    /** A freshly initialised network (initialisation draws on libtorch's global generator). */
    public static DigitNetwork create(String name) {
        return switch (name) {
            case LeNet.ARCHITECTURE -> new LeNet();
            case LeNetPlus.ARCHITECTURE -> new LeNetPlus();
            default -> throw new UserException("architecture '" + name + "' is not one of " + NAMES);
        };
    }

    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }
}

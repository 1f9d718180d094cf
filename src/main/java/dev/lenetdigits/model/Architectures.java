package dev.lenetdigits.model;

import dev.lenetdigits.UserException;

import java.util.List;

/** The networks this version knows, by the name model files record. */
public final class Architectures {
    public static final List<String> NAMES = List.of(LeNet.ARCHITECTURE, LeNetPlus.ARCHITECTURE, LeNetDeep.ARCHITECTURE);

    private Architectures() {}

    /** A freshly initialised network (initialisation draws on libtorch's global generator). */
    public static DigitNetwork create(String name) {
        if (Ensemble.isEnsembleName(name)) {
            try {
                return Ensemble.create(name);
            } catch (NumberFormatException e) {
                throw new UserException("architecture '" + name + "' is not of the form ensemble-K:NAME or ensemble-K:NAME*COUNT,...");
            }
        }
        return switch (name) {
            case LeNet.ARCHITECTURE -> new LeNet();
            case LeNetPlus.ARCHITECTURE -> new LeNetPlus();
            case LeNetDeep.ARCHITECTURE -> new LeNetDeep();
            default -> throw new UserException("architecture '" + name + "' is not one of " + NAMES);
        };
    }

    /** A single network this version knows, or an ensemble of such networks ("ensemble-K:NAME", ...). */
    public static boolean isKnown(String name) {
        if (Ensemble.isEnsembleName(name)) {
            try {
                return NAMES.containsAll(Ensemble.memberArchitectures(name));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return NAMES.contains(name);
    }
}

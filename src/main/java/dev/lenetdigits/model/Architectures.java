package dev.lenetdigits.model;

import dev.lenetdigits.UserException;

import java.util.List;

/**
 * The networks this version knows, by the name model files record: one of {@link #NAMES}, such a name with
 * {@value Deskewed#SUFFIX} (the network on deskewed digits), or an ensemble of these.
 */
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
        DigitNetwork network = switch (base(name)) {
            case LeNet.ARCHITECTURE -> new LeNet();
            case LeNetPlus.ARCHITECTURE -> new LeNetPlus();
            case LeNetDeep.ARCHITECTURE -> new LeNetDeep();
            default -> throw new UserException("architecture '" + name + "' is not one of " + NAMES
                    + " (with or without " + Deskewed.SUFFIX + ")");
        };
        return name.endsWith(Deskewed.SUFFIX) ? new Deskewed(network) : network;
    }

    /** A single network this version knows, or an ensemble of such networks ("ensemble-K:NAME", ...). */
    public static boolean isKnown(String name) {
        if (Ensemble.isEnsembleName(name)) {
            try {
                return Ensemble.memberArchitectures(name).stream().allMatch(Architectures::isSingle);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return isSingle(name);
    }

    private static boolean isSingle(String name) {
        return NAMES.contains(base(name));
    }

    /** The name without {@value Deskewed#SUFFIX}. */
    private static String base(String name) {
        return name.endsWith(Deskewed.SUFFIX) ? name.substring(0, name.length() - Deskewed.SUFFIX.length()) : name;
    }
}

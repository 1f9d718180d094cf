package dev.lenetdigits.model;

import dev.lenetdigits.UserException;

import java.util.List;
import java.util.Optional;

/**
 * The networks this version knows, by the name model files record: one of {@link #NAMES}, optionally with
 * an input view ({@value Deskewed#SUFFIX}: on deskewed digits; {@value WidthNormalized#SUFFIX}N: on digits
 * scaled to N pixels' width), or an ensemble of these.
 */
public final class Architectures {
    public static final List<String> NAMES = List.of(LeNet.ARCHITECTURE, LeNetPlus.ARCHITECTURE, LeNetDeep.ARCHITECTURE);
    /** The view of a network that sees digits as they are. */
    public static final String PLAIN = "plain";

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
        if (!isSingle(name)) {
            throw new UserException("architecture '" + name + "' is not one of " + NAMES + ", optionally followed by "
                    + Deskewed.SUFFIX + " or " + WidthNormalized.SUFFIX + WidthNormalized.MIN_WIDTH + "-"
                    + WidthNormalized.MAX_WIDTH);
        }
        DigitNetwork network = switch (networkOf(name)) {
            case LeNet.ARCHITECTURE -> new LeNet();
            case LeNetPlus.ARCHITECTURE -> new LeNetPlus();
            default -> new LeNetDeep();
        };
        String view = view(name);
        if (view.isEmpty()) {
            return network;
        }
        return view.equals(Deskewed.SUFFIX) ? new Deskewed(network) : new WidthNormalized(network, width(view).get());
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

    /**
     * The name of {@code network} (one of {@link #NAMES}) seeing digits through {@code view}: {@value #PLAIN},
     * "deskew" ({@link Deskewed}) or "widthN" ({@link WidthNormalized}); e.g. "lenet-deep+width14".
     */
    public static String withView(String network, String view) {
        String name = view.equals(PLAIN) ? network : network + "+" + view;
        if (!isSingle(name) || !viewOf(name).equals(view)) {
            throw new UserException("--view: '" + view + "' is not " + PLAIN + ", " + Deskewed.SUFFIX.substring(1) + " or "
                    + WidthNormalized.SUFFIX.substring(1) + "N with N " + WidthNormalized.MIN_WIDTH + "-"
                    + WidthNormalized.MAX_WIDTH);
        }
        return name;
    }

    /** The view in a single network's name: {@value #PLAIN}, "deskew" or "widthN". */
    public static String viewOf(String name) {
        String view = view(name);
        return view.isEmpty() ? PLAIN : view.substring(1);
    }

    private static boolean isSingle(String name) {
        String view = view(name);
        return NAMES.contains(networkOf(name)) && (view.isEmpty() || view.equals(Deskewed.SUFFIX) || width(view).isPresent());
    }

    /** A single network's name without its view: "lenet-deep" for "lenet-deep+deskew". */
    public static String networkOf(String name) {
        int plus = name.indexOf('+');
        return plus < 0 ? name : name.substring(0, plus);
    }

    /** The view, "+..." up to the end, or "" for none. */
    private static String view(String name) {
        int plus = name.indexOf('+');
        return plus < 0 ? "" : name.substring(plus);
    }

    /** N of a "+widthN" view written as {@link #withView} writes it, within the allowed widths. */
    private static Optional<Integer> width(String view) {
        if (!view.startsWith(WidthNormalized.SUFFIX)) {
            return Optional.empty();
        }
        String digits = view.substring(WidthNormalized.SUFFIX.length());
        if (!digits.matches("[1-9][0-9]?")) {
            return Optional.empty();
        }
        int width = Integer.parseInt(digits);
        return width >= WidthNormalized.MIN_WIDTH && width <= WidthNormalized.MAX_WIDTH ? Optional.of(width) : Optional.empty();
    }
}

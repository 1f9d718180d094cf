package dev.lenetdigits.training;

import dev.lenetdigits.UserException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How strongly training digits are moved when augmentation is on: each image gets a random rotation, scale
 * and shift drawn uniformly within these bounds, optionally an elastic distortion on top. The defaults are
 * the ones lenet-plus and lenet-deep were measured with (docs/accuracy.md); a member trained with other bounds makes
 * different mistakes, which is what an ensemble wants.
 *
 * @param rotationDegrees largest rotation either way, in degrees
 * @param zoom            largest scale change either way: 0.1 scales by 0.9–1.1
 * @param shiftPixels     largest shift either way along each axis, in pixels
 * @param elasticAlpha    strength of the elastic distortion in pixels (0: none)
 * @param elasticSigma    smoothness of the elastic distortion: the Gaussian's width in pixels
 */
public record AugmentationOptions(double rotationDegrees, double zoom, double shiftPixels, double elasticAlpha,
                                  double elasticSigma) {
    /** Simard et al. (2003) found sigma 4 best for 28×28 digits. */
    public static final double DEFAULT_ELASTIC_SIGMA = 4;

    public static final AugmentationOptions DEFAULTS = new AugmentationOptions(10, 0.1, 2, 0, DEFAULT_ELASTIC_SIGMA);

    public AugmentationOptions {
        require(rotationDegrees >= 0 && rotationDegrees <= 180, "--rotate", rotationDegrees, "a number of degrees in [0, 180]");
        require(zoom >= 0 && zoom <= 0.5, "--zoom", zoom, "a number in [0, 0.5]");
        require(shiftPixels >= 0 && shiftPixels <= 14, "--shift", shiftPixels, "a number of pixels in [0, 14]");
        require(elasticAlpha >= 0 && elasticAlpha <= 100, "--elastic-alpha", elasticAlpha, "a number in [0, 100]");
        require(elasticSigma >= 1 && elasticSigma <= 10, "--elastic-sigma", elasticSigma, "a number in [1, 10]");
    }

    private static void require(boolean ok, String flag, double value, String expected) {
        if (!ok) { // NaN fails every comparison, so it lands here too
            throw new UserException(flag + ": '" + value + "' is not " + expected);
        }
    }

    /** The same bounds with the elastic distortion as given. */
    public AugmentationOptions withElastic(double alpha, double sigma) {
        return new AugmentationOptions(rotationDegrees, zoom, shiftPixels, alpha, sigma);
    }

    /** Read back from {@link #asMap()}; keys a file written before a knob existed lacks take the default. */
    static AugmentationOptions fromMap(Map<String, String> m) {
        Map<String, String> complete = new LinkedHashMap<>(m);
        fillAbsent(complete);
        return new AugmentationOptions(Double.parseDouble(complete.get("rotate")),
                Double.parseDouble(complete.get("zoom")), Double.parseDouble(complete.get("shift")),
                Double.parseDouble(complete.get("elastic-alpha")), Double.parseDouble(complete.get("elastic-sigma")));
    }

    /**
     * Gives a model file's training record the augmentation bounds it trained with where it was written
     * before they were recorded (the defaults: they were constants then), so that records compare alike.
     */
    public static void fillAbsent(Map<String, String> trainingRecord) {
        DEFAULTS.asMap().forEach(trainingRecord::putIfAbsent);
    }

    /** The bounds as flag → value, for the model file's record. */
    Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rotate", Double.toString(rotationDegrees));
        m.put("zoom", Double.toString(zoom));
        m.put("shift", Double.toString(shiftPixels));
        m.put("elastic-alpha", Double.toString(elasticAlpha));
        m.put("elastic-sigma", Double.toString(elasticSigma));
        return m;
    }
}

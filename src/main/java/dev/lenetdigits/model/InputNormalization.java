package dev.lenetdigits.model;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * How uint8 pixels become the network's input: {@code (p / 255 - mean) / std}, done as one multiply and
 * one add on the tensor. MNIST's own statistics are the default; they travel in the model file so that
 * inference scales exactly as training did.
 */
public record InputNormalization(double mean, double std) {
    public static final InputNormalization MNIST = new InputNormalization(0.1307, 0.3081);

    /** uint8 [N,1,28,28] → float in [0,1] (0 = paper), for transformations before normalising. */
    public static Tensor toUnit(Tensor uint8Images) {
        return uint8Images.to(torch.ScalarType.Float).mul_(new Scalar(1.0 / 255.0));
    }

    /** Float images in [0,1] → normalised network input. */
    public Tensor normalizeUnit(Tensor unitImages) {
        return unitImages.sub(new Scalar(mean)).mul_(new Scalar(1.0 / std));
    }

    /** uint8 [N,1,28,28] on any device → float [N,1,28,28] on the same device. */
    public Tensor apply(Tensor uint8Images) {
        return uint8Images.to(torch.ScalarType.Float).mul_(new Scalar(1.0 / (255.0 * std)))
                .sub_(new Scalar(mean / std));
    }
}

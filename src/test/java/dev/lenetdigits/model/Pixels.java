package dev.lenetdigits.model;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.Arrays;

/** Single normalised 28×28 images as float arrays, to draw test digits and read results back. */
final class Pixels {
    /** Paper and full ink after MNIST's normalisation. */
    static final float PAPER = (float) (-InputNormalization.MNIST.mean() / InputNormalization.MNIST.std());
    static final float INK = (float) ((1 - InputNormalization.MNIST.mean()) / InputNormalization.MNIST.std());

    private Pixels() {}

    static float[] blank() {
        float[] image = new float[784];
        Arrays.fill(image, PAPER);
        return image;
    }

    /** One image → [1,1,28,28]. */
    static Tensor tensor(float[] image) {
        Tensor x = torch.empty(1, 1, 28, 28);
        new FloatPointer(x.data_ptr()).put(image);
        return x;
    }

    /** All of a float tensor's values, in logical order. */
    static float[] of(Tensor x) {
        Tensor c = x.contiguous();
        float[] out = new float[(int) c.numel()];
        new FloatPointer(c.data_ptr()).get(out);
        return out;
    }
}

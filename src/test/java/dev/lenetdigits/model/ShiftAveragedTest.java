package dev.lenetdigits.model;

import dev.lenetdigits.device.NativeRuntime;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ShiftAveragedTest {
    /** Records what it is shown and answers "certainly digit k" for the k-th view. */
    private static final class Recorder extends DigitNetwork {
        final List<float[]> views = new ArrayList<>();

        @Override
        public String architecture() {
            return "recorder";
        }

        @Override
        protected Tensor[] convolutionWeights() {
            return new Tensor[0];
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor c = x.contiguous();
            float[] pixels = new float[(int) c.numel()];
            new FloatPointer(c.data_ptr()).get(pixels);
            views.add(pixels);
            Tensor out = torch.full(new long[] {x.size(0), 10}, new Scalar(-1e4));
            out.select(1, views.size() - 1).fill_(new Scalar(0.0));
            return out;
        }
    }

    @Test
    void averagesTheDigitAndItsFourOnePixelShiftsWithPaperMovingIn() {
        NativeRuntime.load();
        InputNormalization normalization = InputNormalization.MNIST;
        float paper = (float) (-normalization.mean() / normalization.std());
        float[] image = new float[784];
        for (int i = 0; i < 784; i++) {
            image[i] = i; // every pixel different, so each view shows where each pixel went
        }
        Tensor x = torch.empty(1, 1, 28, 28);
        new FloatPointer(x.data_ptr()).put(image);

        Recorder recorder = new Recorder();
        Tensor out = new ShiftAveraged(recorder, normalization).forward(x);

        assertEquals(5, recorder.views.size());
        assertArrayEquals(image, recorder.views.get(0), "the digit as it is");
        int[][] moves = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}}; // {rows, columns}, as ShiftAveraged orders them
        for (int v = 0; v < 4; v++) {
            float[] view = recorder.views.get(v + 1);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    int fromR = r - moves[v][0];
                    int fromC = c - moves[v][1];
                    boolean inside = fromR >= 0 && fromR < 28 && fromC >= 0 && fromC < 28;
                    assertEquals(inside ? image[fromR * 28 + fromC] : paper, view[r * 28 + c], 0f,
                            "view " + (v + 1) + " pixel " + r + "," + c);
                }
            }
        }
        // each view voted for its own digit 0..4 with certainty: the average gives each 1/5
        Tensor p = out.exp();
        for (int d = 0; d < 10; d++) {
            assertEquals(d < 5 ? 0.2 : 0.0, p.get(0).get(d).item_double(), 1e-6, "digit " + d);
        }
    }
}

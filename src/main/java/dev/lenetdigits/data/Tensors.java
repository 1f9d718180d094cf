package dev.lenetdigits.data;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Bulk copies out of tensors: one native copy per tensor, never an {@code item()} per element. */
public final class Tensors {
    private Tensors() {}

    public static int[] toIntArray(Tensor t) {
        Tensor cpu = t.to(new Device(torch.DeviceType.CPU), torch.ScalarType.Long).contiguous();
        long[] values = new long[(int) cpu.numel()];
        new LongPointer(cpu.data_ptr()).get(values);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    public static float[] toFloatArray(Tensor t) {
        Tensor cpu = t.to(new Device(torch.DeviceType.CPU), torch.ScalarType.Float).contiguous();
        float[] values = new float[(int) cpu.numel()];
        new FloatPointer(cpu.data_ptr()).get(values);
        return values;
    }
}

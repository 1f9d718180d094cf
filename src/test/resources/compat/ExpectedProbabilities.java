import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.DeviceRequest;
import dev.lenetdigits.device.NativeRuntime;
import dev.lenetdigits.inference.DigitClassifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes, for each model file named, MODEL.probabilities: the fp32 CPU probabilities (2 threads) of the 100
 * digits of kaggle/test-100.csv, one line of ten float bit patterns (hex) per digit; with "--tta MODEL",
 * MODEL.tta.probabilities with test-time augmentation. Run by make-fixtures.sh with the jar of the commit that wrote the files.
 */
public class ExpectedProbabilities {
    public static void main(String[] args) throws Exception {
        NativeRuntime.setThreads(2);
        ComputeDevice cpu = NativeRuntime.select(DeviceRequest.CPU);
        DigitSet test = DigitFiles.read(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            boolean tta = args[i].equals("--tta");
            Path model = Path.of(tta ? args[++i] : args[i]);
            float[] p;
            try (DigitClassifier classifier = DigitClassifier.load(model, cpu, tta)) {
                p = classifier.predict(test).probabilities();
            }
            List<String> lines = new ArrayList<>();
            for (int row = 0; row < test.size(); row++) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < 10; c++) {
                    line.append(c == 0 ? "" : " ").append(String.format(Locale.ROOT, "%08x",
                            Float.floatToRawIntBits(p[row * 10 + c])));
                }
                lines.add(line.toString());
            }
            Files.write(model.resolveSibling(model.getFileName() + (tta ? ".tta" : "") + ".probabilities"), lines);
        }
    }
}

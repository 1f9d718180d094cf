package dev.lenetdigits.cli;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.EnsembleRecord;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.model.ShiftAveraged;
import dev.lenetdigits.report.ErrorGrid;
import dev.lenetdigits.scoring.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure a model on labelled digits: accuracy, per-class precision and recall, confusion matrix.")
final class EvaluateCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by train.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Labelled digits: a CSV with a label column (or a zip holding train.csv), or an IDX images file "
                    + "with its labels beside it.")
    Path input;

    @Option(names = "--errors", paramLabel = "FILE.png",
            description = "Also draw the misclassified digits (up to 200) with true and predicted labels into this PNG.")
    Path errors;

    @Option(names = "--members",
            description = "For an ensemble, also print each member's own accuracy (how much the ensemble adds).")
    boolean members;

    @Option(names = "--tta",
            description = "Test-time augmentation: also classify each digit moved one pixel up, down, left and right, "
                    + "and average the five answers (5× slower).")
    boolean tta;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        if (errors != null) {
            AtomicFiles.refuseOverwrite(input, errors);
            AtomicFiles.refuseOverwrite(model, errors);
        }
        ModelFile.Loaded loaded = ModelFile.load(model); // once, for the whole and its members
        if (members && !(loaded.network() instanceof Ensemble)) {
            throw new UserException(model + ": holds a single " + loaded.info().architecture()
                    + " network; --members needs a model trained with --ensemble K");
        }
        ComputeDevice device = deviceOptions.open();
        DigitSet digits = readLabeled(input);
        DigitNetwork network = ShiftAveraged.around(loaded.network(), loaded.info().normalization(), tta);
        System.out.print(evaluate(new DigitClassifier(network, loaded.info(), device), digits, errors).format());
        if (members) {
            printMembers(loaded, digits, device, tta);
        }
    }

    /** Each member of an ensemble measured alone on the same digits. */
    private static void printMembers(ModelFile.Loaded loaded, DigitSet digits, ComputeDevice device, boolean tta) {
        int[] truth = digits.labelArray();
        List<DigitNetwork> all = ((Ensemble) loaded.network()).members();
        List<String> seeds = EnsembleRecord.seeds(loaded.info().training(), all.size());
        for (int i = 0; i < all.size(); i++) {
            DigitNetwork member = ShiftAveraged.around(all.get(i), loaded.info().normalization(), tta);
            Predictions p = new DigitClassifier(member, loaded.info(), device).predict(digits);
            System.out.printf(Locale.ROOT, "member %d (%s, seed %s): accuracy %.2f%%%n", i + 1,
                    all.get(i).architecture(), seeds.get(i),
                    100 * EvaluationReport.of(truth, p.labels(), DigitSet.CLASSES).accuracy());
        }
    }

    static EvaluationReport evaluate(Path model, Path input, ComputeDevice device) {
        return evaluate(DigitClassifier.load(model, device), readLabeled(input), null);
    }

    private static DigitSet readLabeled(Path input) {
        return DigitFiles.read(input).requireLabels(" to evaluate against");
    }

    private static EvaluationReport evaluate(DigitClassifier classifier, DigitSet digits, Path errorsPng) {
        Predictions predictions = classifier.predict(digits);
        int[] truth = digits.labelArray();
        if (errorsPng != null) {
            int wrong = ErrorGrid.write(errorsPng, digits.pixelBytes(), truth, predictions.labels(), 200);
            System.err.println(Math.min(wrong, 200) + " of " + wrong + " misclassified digits drawn in " + errorsPng);
        }
        return EvaluationReport.of(truth, predictions.labels(), DigitSet.CLASSES);
    }
}

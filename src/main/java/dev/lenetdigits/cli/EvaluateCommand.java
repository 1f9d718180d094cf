package dev.lenetdigits.cli;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.EvaluationReport;
import dev.lenetdigits.inference.Predictions;
import dev.lenetdigits.report.ErrorGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure a model on labelled digits: accuracy, per-class precision and recall, confusion matrix.")
final class EvaluateCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by train.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Labelled digits: a CSV with a label column, or an IDX images file with its labels beside it.")
    Path input;

    @Option(names = "--errors", paramLabel = "FILE.png",
            description = "Also draw the misclassified digits (up to 200) with true and predicted labels into this PNG.")
    Path errors;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        if (errors != null) {
            dev.lenetdigits.AtomicFiles.refuseOverwrite(input, errors);
            dev.lenetdigits.AtomicFiles.refuseOverwrite(model, errors);
        }
        ComputeDevice device = deviceOptions.select();
        System.out.print(evaluate(model, input, device, errors).format());
    }

    static EvaluationReport evaluate(Path model, Path input, ComputeDevice device) {
        return evaluate(model, input, device, null);
    }

    static EvaluationReport evaluate(Path model, Path input, ComputeDevice device, Path errorsPng) {
        DigitClassifier classifier = DigitClassifier.load(model, device);
        DigitSet digits = DigitFiles.read(input);
        if (!digits.hasLabels()) {
            throw new UserException(input + ": has no labels to evaluate against");
        }
        Predictions predictions = classifier.predict(digits);
        int[] truth = digits.labelArray();
        if (errorsPng != null) {
            int wrong = ErrorGrid.write(errorsPng, digits.pixelBytes(), truth, predictions.labels(), 200);
            System.err.println(Math.min(wrong, 200) + " of " + wrong + " misclassified digits drawn in " + errorsPng);
        }
        return EvaluationReport.of(truth, predictions.labels(), DigitSet.CLASSES);
    }
}

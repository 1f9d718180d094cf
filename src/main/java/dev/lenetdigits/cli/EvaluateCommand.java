package dev.lenetdigits.cli;

import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.EvaluationReport;
import dev.lenetdigits.inference.Predictions;
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

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        ComputeDevice device = deviceOptions.select();
        System.out.print(evaluate(model, input, device).format());
    }

    static EvaluationReport evaluate(Path model, Path input, ComputeDevice device) {
        DigitClassifier classifier = DigitClassifier.load(model, device);
        DigitSet digits = DigitFiles.read(input);
        if (!digits.hasLabels()) {
            throw new UserException(input + ": has no labels to evaluate against");
        }
        Predictions predictions = classifier.predict(digits);
        return EvaluationReport.of(digits.labelArray(), predictions.labels(), DigitSet.CLASSES);
    }
}

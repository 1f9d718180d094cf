package dev.lenetdigits.cli;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.data.DigitFiles;
import dev.lenetdigits.data.DigitSet;
import dev.lenetdigits.device.ComputeDevice;
import dev.lenetdigits.device.Precision;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.report.TrainingCurves;
import dev.lenetdigits.training.Checkpoints;
import dev.lenetdigits.training.EnsembleRun;
import dev.lenetdigits.training.EnsembleTrainer;
import dev.lenetdigits.training.EpochResult;
import dev.lenetdigits.training.Trainer;
import dev.lenetdigits.training.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train LeNet on a labelled file (Kaggle train.csv, .csv.gz, digit-recognizer.zip, or an MNIST IDX images file) "
                + "and write a model file.")
final class TrainCommand implements Runnable {
    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Labelled training digits (from a Kaggle zip: its train.csv).")
    Path train;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Where to write the model.")
    Path model;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write a checkpoint here after every epoch (model, optimizer, random state, figures).")
    Path checkpointDir;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue from the last valid checkpoint in DIR, with the settings it was started with; "
                    + "checkpoints keep going to DIR.")
    Path resumeDir;

    @Option(names = "--ensemble", paramLabel = "K", defaultValue = "1",
            description = "Train K members with seeds seed..seed+K-1 into one model file; predictions average "
                    + "their probabilities (default: ${DEFAULT-VALUE}, a single network).")
    int ensemble;

    @Option(names = "--parallel", paramLabel = "P", defaultValue = "1",
            description = "With --ensemble (or --resume of one), train up to P members at once, each in its own "
                    + "process with an equal share of --threads (default: ${DEFAULT-VALUE}, one after another). Small "
                    + "networks use many threads poorly, so members side by side use the cores better.")
    int parallel;

    @Mixin
    TrainingFlags flags;

    @Mixin
    DeviceOptions deviceOptions;

    @Override
    public void run() {
        AtomicFiles.refuseOverwrite(train, model);
        if (checkpointDir != null && resumeDir != null && !checkpointDir.equals(resumeDir)) {
            throw new UserException("--checkpoint-dir and --resume name different folders; --resume DIR keeps "
                    + "writing checkpoints to DIR");
        }
        TrainingOptions options = flags.toOptions().withPrecision(deviceOptions.precision(Precision.FP32));
        var ensembleRun = resumeDir == null ? Optional.<EnsembleRun.Manifest>empty()
                : EnsembleRun.manifest(resumeDir);
        if (ensembleRun.isPresent()) {
            EnsembleRun.Manifest manifest = ensembleRun.get();
            System.err.println("resuming the ensemble of " + manifest.members() + " in " + resumeDir
                    + " with the settings it was started with");
            TrainingOptions resumed = resumed(manifest.options());
            trainEnsemble(resumed, manifest.members(), manifest.views(), deviceOptions.open(resumed.precision()),
                    t -> t.resumeFrom(resumeDir));
            return;
        }
        if (ensemble != 1) {
            if (resumeDir != null) {
                throw new UserException(resumeDir + ": holds a single network's checkpoints (no "
                        + EnsembleRun.MANIFEST + "); resume it without --ensemble");
            }
            trainEnsemble(options, ensemble, flags.views(), deviceOptions.open(options.precision()),
                    t -> checkpointDir == null ? t : t.checkpointInto(checkpointDir));
            return;
        }
        if (parallel != 1) {
            throw new UserException("--parallel: trains ensemble members at once; a single network runs in one "
                    + "process (use --threads for its threads, or --ensemble K for members)");
        }
        if (flags.views().size() > 1) {
            throw new UserException("--view: one network sees digits one way; several views are for --ensemble K, "
                    + "whose members take them in turn");
        }
        if (resumeDir != null) {
            Checkpoints checkpoints = new Checkpoints(resumeDir);
            Path resumeFrom = checkpoints.latest().orElseThrow(
                    () -> new UserException(resumeDir + ": no valid checkpoint to resume from"));
            Checkpoints.State started = checkpoints.peek(resumeFrom);
            System.err.println("resuming from " + resumeFrom + " with the settings it was started with");
            TrainingOptions resumed = resumed(started.options());
            trainAndSave(train, model, resumed, deviceOptions.open(resumed.precision()), checkpoints, resumeFrom);
            return;
        }
        trainAndSave(train, model, options, deviceOptions.open(options.precision()),
                checkpointDir == null ? null : new Checkpoints(checkpointDir), null);
    }

    /**
     * The settings a run resumes with: those it started with, in the precision it started with unless
     * --precision says otherwise (a machine without bfloat16 instructions, say), which is then said, since the
     * numbers change with it.
     */
    private TrainingOptions resumed(TrainingOptions started) {
        Precision precision = deviceOptions.precision(started.precision());
        if (precision != started.precision()) {
            System.err.println("resuming with --precision " + precision + "; the run started with "
                    + started.precision());
        }
        return started.withPrecision(precision);
    }

    private void trainEnsemble(TrainingOptions options, int members, List<String> views, ComputeDevice device,
                               UnaryOperator<EnsembleTrainer> checkpointing) {
        EnsembleTrainer.check(options, members, views); // before the slow read of the digits
        EnsembleTrainer.checkProcesses(parallel);
        DigitSet digits = DigitFiles.read(train);
        long t0 = System.nanoTime();
        EnsembleTrainer trainer = checkpointing.apply(new EnsembleTrainer(options, members, views, device,
                new ProgressListener(System.out, Math.round(digits.size() * (1 - options.valSplit())))))
                .inProcesses(parallel, train);
        EnsembleTrainer.Result result = trainer.train(digits);
        ModelFile.save(model, result.network(), result.info());
        System.out.printf(Locale.ROOT, "ensemble of %d written to %s (%.1f s of training)%n", members, model,
                (System.nanoTime() - t0) / 1e9);
        writeCurves(model, result.memberEpochs(), result.info().architecture());
    }

    static Trainer.Result trainAndSave(Path trainFile, Path modelFile, TrainingOptions options, ComputeDevice device) {
        return trainAndSave(trainFile, modelFile, options, device, null, null);
    }

    static Trainer.Result trainAndSave(Path trainFile, Path modelFile, TrainingOptions options, ComputeDevice device,
                                       Checkpoints checkpoints, Path resumeFrom) {
        DigitSet digits = DigitFiles.read(trainFile).requireLabels(DigitSet.TRAINING_NEEDS_LABELS);
        long trainCount = Math.round(digits.size() * (1 - options.valSplit()));
        System.err.printf(Locale.ROOT, "training on %d digits from %s (%d held out for validation)%n",
                trainCount, digits.source(), digits.size() - trainCount);
        Trainer trainer = new Trainer(options, device, new ProgressListener(System.out, trainCount));
        if (resumeFrom != null) {
            trainer.resumeFrom(checkpoints, resumeFrom);
        } else if (checkpoints != null) {
            trainer.checkpointInto(checkpoints);
        }
        long t0 = System.nanoTime();
        Trainer.Result result = trainer.train(digits);
        ModelFile.save(modelFile, result.network(), result.info());
        System.out.printf(Locale.ROOT, "model written to %s (%.1f s of training)%n", modelFile,
                (System.nanoTime() - t0) / 1e9);
        writeCurves(modelFile, List.of(result.epochs()), result.info().architecture());
        return result;
    }

    /**
     * One list of epochs per network: one for a single network, one per member for an ensemble. The plot is a
     * by-product: where it cannot be drawn (a server without fonts, or without the font libraries the Java
     * runtime uses) the model is still the result, so that is a warning.
     */
    private static void writeCurves(Path modelFile, List<List<EpochResult>> epochsPerNetwork, String title) {
        Path png = TrainingCurves.besideModel(modelFile);
        try {
            TrainingCurves.writeMembers(png, epochsPerNetwork, title);
        } catch (RuntimeException | Error e) {
            if (e instanceof OutOfMemoryError || e instanceof StackOverflowError) {
                throw e;
            }
            // without fonts the JDK throws InternalError around "Fontconfig head is null": say the innermost cause
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            System.err.println("warning: training curves not written to " + png + " (" + cause
                    + "; are fonts installed?); the model is written");
            return;
        }
        System.out.println("training curves written to " + png);
    }
}

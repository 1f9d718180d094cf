package dev.lenetdigits.cli;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.EnsembleRecord;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.training.AugmentationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

@Command(name = "combine", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Join model files (single networks or ensembles, e.g. trained on several machines with different "
                + "--seed or --recipe) into one ensemble file, whose predictions average all members' probabilities.")
final class CombineCommand implements Runnable {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ensemble model file to write.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "Model files written by train or combine.")
    List<Path> models;

    @Override
    public void run() {
        for (Path model : models) {
            AtomicFiles.refuseOverwrite(model, out);
        }
        ModelFile.Loaded combined = EnsembleRecord.combine(models, AugmentationOptions::fillAbsent);
        ModelFile.save(out, combined.network(), combined.info());
        System.out.println(((Ensemble) combined.network()).size() + " members (" + combined.info().architecture()
                + ") written to " + out);
    }
}

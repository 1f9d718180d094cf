package dev.lenetdigits.cli;

import dev.lenetdigits.inference.SubmissionScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a submission.csv against an answer key (ImageId,Label, e.g. from kaggle-split) as the "
                + "Digit Recognizer leaderboard does: the fraction of correct labels.")
final class ScoreCommand implements Runnable {
    @Option(names = "--submission", required = true, paramLabel = "FILE", description = "Written by predict.")
    Path submission;

    @Option(names = "--answers", required = true, paramLabel = "FILE", description = "The true labels, same layout.")
    Path answers;

    @Override
    public void run() {
        SubmissionScore score = SubmissionScore.of(submission, answers);
        System.out.printf(Locale.ROOT, "score %.5f (%d of %d correct)%n", score.accuracy(), score.correct(),
                score.total());
    }
}

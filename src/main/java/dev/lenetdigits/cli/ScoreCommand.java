package dev.lenetdigits.cli;

import dev.lenetdigits.UserException;
import dev.lenetdigits.scoring.SubmissionScore;
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

    @Option(names = "--public-share", defaultValue = "0.25", paramLabel = "X",
            description = "Also show how much a leaderboard scoring only this share of the rows could vary (Kaggle's "
                    + "public Digit Recognizer board scores about 25%%): the middle 90%% of 10000 random draws; 0 turns it "
                    + "off (default: ${DEFAULT-VALUE}).")
    double publicShare;

    private static final int DRAWS = 10_000;

    @Override
    public void run() {
        if (!(publicShare >= 0 && publicShare <= 1)) {
            throw new UserException("--public-share: '" + publicShare + "' is not a number in [0, 1]");
        }
        SubmissionScore score = SubmissionScore.of(submission, answers);
        System.out.printf(Locale.ROOT, "score %.5f (%d of %d correct)%n", score.accuracy(), score.correct(),
                score.total());
        if (publicShare > 0 && publicShare < 1) {
            double[] sampled = score.subsetScores(publicShare, DRAWS, 1);
            System.out.printf(Locale.ROOT, "on a random %.0f%% of the rows (%d): 90%% of %d draws score %.5f to %.5f%n",
                    100 * publicShare, score.subsetRows(publicShare), DRAWS,
                    sampled[DRAWS / 20], sampled[DRAWS - 1 - DRAWS / 20]);
        }
    }
}

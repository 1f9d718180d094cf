package dev.lenetdigits.scoring;

import dev.lenetdigits.Fixtures;
import dev.lenetdigits.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubmissionScoreTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) {
        return Fixtures.write(dir.resolve(name), content);
    }

    @Test
    void scoresTheFractionOfCorrectLabels() {
        Path answers = file("answers.csv", "ImageId,Label\n1,7\n2,2\n3,1\n4,0\n");
        SubmissionScore score = SubmissionScore.of(file("s.csv", "ImageId,Label\r\n1,7\r\n2,2\r\n3,4\r\n4,0\r\n"), answers);
        assertEquals(3, score.correct());
        assertEquals(4, score.total());
        assertEquals(0.75, score.accuracy());
        assertEquals(1.0, SubmissionScore.of(answers, answers).accuracy());
    }

    @Test
    void partOfTheRowsScoresAroundTheWholeAndVaries() {
        // 3 of 4 right: two-row subsets score 0.5 (the miss and one hit) or 1.0 (two hits), each half the time
        Path answers = file("answers.csv", "ImageId,Label\n1,7\n2,2\n3,1\n4,0\n");
        SubmissionScore score = SubmissionScore.of(file("s.csv", "ImageId,Label\n1,7\n2,2\n3,4\n4,0\n"), answers);
        double[] halves = score.subsetScores(0.5, 4000, 3);
        assertEquals(4000, halves.length);
        assertEquals(0.5, halves[0]);
        assertEquals(1.0, halves[halves.length - 1]);
        assertEquals(0.75, Arrays.stream(halves).average().orElseThrow(), 0.02);
        assertEquals(Arrays.toString(halves), Arrays.toString(score.subsetScores(0.5, 4000, 3)),
                "seeded");
        // the whole set every time is the score itself
        assertEquals(0.75, score.subsetScores(1, 10, 3)[0]);
        assertEquals(0.75, score.subsetScores(1, 10, 3)[9]);
    }

    @Test
    void refusesWhatKaggleWouldRefuseNamingFileAndLine() {
        Path answers = file("answers.csv", "ImageId,Label\n1,7\n2,2\n");
        assertEquals(message("a.csv", "Id,Label\n1,7\n2,2\n", answers),
                dir.resolve("a.csv") + ": line 1: the header is not 'ImageId,Label'");
        assertEquals(message("b.csv", "ImageId,Label\n1,7\n3,2\n", answers),
                dir.resolve("b.csv") + ": line 3: ImageId 3 where 2 was expected (ImageIds run 1, 2, 3, … in test.csv's order)");
        assertEquals(message("c.csv", "ImageId,Label\n1,7\n2,12\n", answers),
                dir.resolve("c.csv") + ": line 3: Label 12 is not a digit 0-9");
        assertEquals(message("d.csv", "ImageId,Label\n1,seven\n2,2\n", answers),
                dir.resolve("d.csv") + ": line 2: Label 'seven' is not an integer");
        assertEquals(message("e.csv", "ImageId,Label\n1,7\n", answers),
                dir.resolve("e.csv") + ": has 1 rows, but " + answers + " has 2");
        assertEquals(message("f.csv", "ImageId,Label\n1,7,0\n", answers),
                dir.resolve("f.csv") + ": line 2: expected 2 fields (ImageId,Label), found 3");
        assertEquals(message("g.csv", "", answers),
                dir.resolve("g.csv") + ": is empty (expected the header 'ImageId,Label' and one row per digit)");
        assertEquals(assertThrows(UserException.class,
                        () -> SubmissionScore.of(dir.resolve("missing.csv"), answers)).getMessage(),
                dir.resolve("missing.csv") + ": cannot read (no such file or folder)");
    }

    private String message(String name, String content, Path answers) {
        Path submission = file(name, content);
        return assertThrows(UserException.class, () -> SubmissionScore.of(submission, answers)).getMessage();
    }
}

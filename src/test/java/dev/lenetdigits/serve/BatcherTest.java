package dev.lenetdigits.serve;

import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Prediction;
import dev.lenetdigits.inference.TestDigits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dynamic batching on the reference model: how passes are filled, split, bounded and drained. */
class BatcherTest {
    private static DigitClassifier classifier;
    private static final byte[][] DIGITS = TestDigits.labeled(100).stream().map(TestDigits.Digit::pixels).toArray(byte[][]::new);

    @BeforeAll
    static void load() {
        classifier = DigitClassifier.load(TestDigits.model());
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    private final List<Integer> passes = new CopyOnWriteArrayList<>();

    private Batcher batcher(int maxBatch, int maxWaitMs, int capacity) {
        return new Batcher(classifier, maxBatch, maxWaitMs, capacity, Runnable::run, passes::add);
    }

    private static void assertClose(Prediction expected, Prediction actual) {
        assertEquals(expected.digit(), actual.digit());
        for (int d = 0; d < 10; d++) {
            assertEquals(expected.probability(d), actual.probability(d), 1e-5);
        }
    }

    @Test
    void aLargeRequestIsSplitOverPassesAndGatheredInOrder() throws Exception {
        try (Batcher b = batcher(16, 2, 1000)) {
            b.arriving();
            List<Prediction> answers = b.submit(DIGITS).get(30, TimeUnit.SECONDS);
            List<Prediction> expected = classifier.classifyAll(DIGITS);
            assertEquals(DIGITS.length, answers.size());
            for (int i = 0; i < DIGITS.length; i++) {
                assertClose(expected.get(i), answers.get(i));
            }
            assertEquals(List.of(16, 16, 16, 16, 16, 16, 4), passes);
        }
    }

    @Test
    void oneClientAtATimeNeverWaits() throws Exception {
        try (Batcher b = batcher(256, 5_000, 1000)) {
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                b.arriving();
                b.submit(new byte[][] {DIGITS[i]}).get(30, TimeUnit.SECONDS);
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "answered without waiting 5 s for company");
            }
            assertEquals(List.of(1, 1, 1, 1, 1), passes);
        }
    }

    @Test
    void aPassWaitsForRequestsOnTheirWayAndTakesThemAlong() throws Exception {
        try (Batcher b = batcher(256, 3_000, 1000)) {
            b.arriving();
            b.arriving();
            CompletableFuture<List<Prediction>> first = b.submit(new byte[][] {DIGITS[0], DIGITS[1]});
            Thread.sleep(200);
            assertTrue(!first.isDone(), "waiting for the second request");
            CompletableFuture<List<Prediction>> second = b.submit(new byte[][] {DIGITS[2]});
            List<Prediction> a = first.get(30, TimeUnit.SECONDS);
            List<Prediction> c = second.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(3), passes);
            assertEquals(2, a.size());
            assertEquals(1, c.size());
            assertClose(classifier.classify(DIGITS[1]), a.get(1));
            assertClose(classifier.classify(DIGITS[2]), c.get(0));
        }
    }

    @Test
    void aPassWaitsNoLongerThanMaxWait() throws Exception {
        try (Batcher b = batcher(256, 300, 1000)) {
            b.arriving();
            b.arriving(); // never comes
            long start = System.nanoTime();
            b.submit(new byte[][] {DIGITS[0]}).get(30, TimeUnit.SECONDS);
            double ms = (System.nanoTime() - start) / 1e6;
            assertTrue(ms >= 250 && ms < 2_000, ms + " ms");
            b.abandon();
        }
    }

    @Test
    void aFullQueueRefusesWith503AndShutdownDrains() throws Exception {
        Batcher b = batcher(16, 10_000, 10);
        b.arriving();
        b.arriving();
        b.arriving(); // keeps the first pass waiting, so its digits stay queued
        CompletableFuture<List<Prediction>> queued = b.submit(Arrays.copyOf(DIGITS, 8));
        ApiException full = assertThrows(ApiException.class, () -> b.submit(Arrays.copyOf(DIGITS, 3)));
        assertEquals(503, full.status());
        assertEquals("1", full.headers().get("Retry-After"));
        assertTrue(full.getMessage().startsWith("overloaded: 8 digits are waiting (at most 10)"), full.getMessage());
        b.close(); // stops waiting for company, runs what is queued, then ends
        assertEquals(8, queued.get(30, TimeUnit.SECONDS).size());
        ApiException closed = assertThrows(ApiException.class, () -> b.submit(new byte[][] {DIGITS[0]}));
        assertEquals(503, closed.status());
    }
}

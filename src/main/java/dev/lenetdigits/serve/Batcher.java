package dev.lenetdigits.serve;

import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Prediction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Dynamic batching: digits from requests that arrive together run through the network as one forward pass,
 * as TorchServe and Triton do. One worker thread takes up to {@code maxBatch} queued digits per pass.
 *
 * <p>It waits (at most {@code maxWait}) for company only while other requests are on their way in, that is,
 * between {@link #arriving()} and their {@link #submit}: with one client at a time a digit never waits, and
 * under load a pass fills up with the requests whose bodies are still being read and parsed. A request with
 * more digits than a pass takes is split over passes; each request's answers are gathered by position, so
 * one request's results never reach another. The queue is bounded in digits: beyond it {@link #submit}
 * refuses with 503, which is better than answering everyone late.
 */
final class Batcher implements AutoCloseable {
    private final DigitClassifier classifier;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int capacity;
    private final Executor completions;
    private final IntConsumer passObserver;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private int queuedDigits;
    private boolean closed;
    private final AtomicInteger arriving = new AtomicInteger();
    private final Thread worker;

    /**
     * @param completions  where the requests' futures are completed (so that writing answers never holds up
     *                     the next forward pass)
     * @param passObserver told the size of every pass, for the metrics
     */
    Batcher(DigitClassifier classifier, int maxBatch, int maxWaitMs, int capacity, Executor completions,
            IntConsumer passObserver) {
        this.classifier = classifier;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitMs * 1_000_000L;
        this.capacity = capacity;
        this.completions = completions;
        this.passObserver = passObserver;
        this.worker = new Thread(this::work, "serve-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /** One request's digits, filled in by position as passes finish. */
    private static final class Job {
        final byte[][] digits;
        final Prediction[] results;
        final CompletableFuture<List<Prediction>> future = new CompletableFuture<>();
        int taken; // digits handed to passes so far (worker only)
        int done;  // digits answered so far (worker only)

        Job(byte[][] digits) {
            this.digits = digits;
            this.results = new Prediction[digits.length];
        }
    }

    /** A run of one job's digits inside a pass. */
    private record Slice(Job job, int from, int count) {}

    /**
     * A request has started to arrive and will {@link #submit} or {@link #abandon()} soon: passes may wait
     * for it. Every call must be followed by exactly one of the two.
     */
    void arriving() {
        arriving.incrementAndGet();
    }

    /** A request counted by {@link #arriving()} will not submit after all (bad input, timeout, gone). */
    void abandon() {
        arriving.decrementAndGet();
    }

    /**
     * Queues a request's digits (each 784 bytes) for the next passes; the request must have been announced
     * with {@link #arriving()}.
     *
     * @throws ApiException 503 when the queue has no room for them, or when the server is stopping
     */
    CompletableFuture<List<Prediction>> submit(byte[][] digits) {
        lock.lock();
        try {
            arriving.decrementAndGet();
            if (closed) {
                throw ApiException.unavailable("the server is shutting down");
            }
            if (queuedDigits + digits.length > capacity) {
                throw ApiException.unavailable("overloaded: " + queuedDigits + " digits are waiting (at most "
                        + capacity + "); try again shortly");
            }
            Job job = new Job(digits);
            queue.add(job);
            queuedDigits += digits.length;
            changed.signal();
            return job.future;
        } finally {
            lock.unlock();
        }
    }

    /** Digits waiting for a pass now. */
    int queued() {
        lock.lock();
        try {
            return queuedDigits;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new digits, lets the queued ones run, and waits for the worker to finish them. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (true) {
            List<Slice> pass = nextPass();
            if (pass == null) {
                return;
            }
            run(pass);
        }
    }

    /** Waits for digits and for company, then takes up to maxBatch of them; null when closed and drained. */
    private List<Slice> nextPass() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                changed.awaitUninterruptibly();
            }
            long deadline = System.nanoTime() + maxWaitNanos;
            while (queuedDigits < maxBatch && arriving.get() > 0 && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            List<Slice> pass = new ArrayList<>();
            int room = maxBatch;
            while (room > 0 && !queue.isEmpty()) {
                Job job = queue.peek();
                int count = Math.min(room, job.digits.length - job.taken);
                pass.add(new Slice(job, job.taken, count));
                job.taken += count;
                room -= count;
                if (job.taken == job.digits.length) {
                    queue.poll();
                }
            }
            queuedDigits -= maxBatch - room;
            return pass;
        } finally {
            lock.unlock();
        }
    }

    private void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // the server's threads are stopping: answer from here
        }
    }

    private void run(List<Slice> pass) {
        int size = pass.stream().mapToInt(Slice::count).sum();
        byte[][] digits = new byte[size][];
        int at = 0;
        for (Slice s : pass) {
            System.arraycopy(s.job().digits, s.from(), digits, at, s.count());
            at += s.count();
        }
        List<Prediction> predictions;
        try {
            predictions = classifier.classifyAll(digits);
        } catch (RuntimeException | Error e) {
            // a bug or a native failure, not the client's doing: every request in the pass hears of it
            for (Slice s : pass) {
                complete(() -> s.job().future.completeExceptionally(e));
            }
            return;
        }
        passObserver.accept(size);
        at = 0;
        for (Slice s : pass) {
            Job job = s.job();
            for (int i = 0; i < s.count(); i++) {
                job.results[s.from() + i] = predictions.get(at + i);
            }
            at += s.count();
            job.done += s.count();
            if (job.done == job.digits.length) {
                List<Prediction> answers = Arrays.asList(job.results);
                complete(() -> job.future.complete(answers));
            }
        }
    }
}

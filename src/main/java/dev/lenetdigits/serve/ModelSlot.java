package dev.lenetdigits.serve;

import dev.lenetdigits.inference.DigitClassifier;

/**
 * Where the server's model stands: loading, ready (with its classifier and batcher), failed to load, or
 * stopping. The HTTP threads read it; the loader and the shutdown write it.
 */
final class ModelSlot {
    /** A loaded, warmed-up model and the batcher in front of it; {@code description} is /v1/model's answer. */
    record Loaded(DigitClassifier classifier, Batcher batcher, byte[] description) {}

    private volatile Loaded loaded;
    private volatile String notReady = "loading the model";
    private boolean stopping;

    /** The model, or 503 with Retry-After while it is not ready. */
    Loaded require() {
        Loaded l = loaded;
        if (l == null) {
            throw ApiException.unavailable("not ready: " + notReady);
        }
        return l;
    }

    /** Null when ready, else why not. */
    String notReady() {
        return loaded == null ? notReady : null;
    }

    /** The model now, or null while it is not ready. */
    Loaded current() {
        return loaded;
    }

    /** Puts the model in service; false (and nothing changes) when the server is already stopping. */
    synchronized boolean ready(Loaded l) {
        if (stopping) {
            return false;
        }
        loaded = l;
        return true;
    }

    synchronized void failed(String why) {
        if (!stopping) {
            notReady = "the model failed to load: " + why;
        }
    }

    /** Takes the model out of service (readyz turns 503) and returns it, or null if it never loaded. */
    synchronized Loaded stopping() {
        stopping = true;
        Loaded l = loaded;
        notReady = "shutting down";
        loaded = null;
        return l;
    }
}

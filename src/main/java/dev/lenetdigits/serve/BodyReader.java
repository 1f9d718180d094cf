package dev.lenetdigits.serve;

import org.eclipse.jetty.io.Content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a request body into memory without holding a thread while the client sends it, and stops at a limit:
 * past it the read fails with {@link TooLarge} (the request is failed first, so Jetty closes the connection
 * instead of reading the rest).
 */
final class BodyReader implements Runnable {
    /** The body passed the limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("body too large", null, false, false);
        }
    }

    private final Content.Source source;
    private final int limit;
    private final ByteArrayOutputStream bytes;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    private BodyReader(Content.Source source, int limit) {
        this.source = source;
        this.limit = limit;
        long length = source.getLength();
        this.bytes = new ByteArrayOutputStream(length > 0 && length <= limit ? (int) length : 8192);
    }

    /** The body's bytes, or a failure: {@link TooLarge}, or whatever failed the request (a timeout, a reset). */
    static CompletableFuture<byte[]> read(Content.Source source, int limit) {
        BodyReader reader = new BodyReader(source, limit);
        reader.run();
        return reader.result;
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                result.completeExceptionally(chunk.getFailure());
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            boolean last = chunk.isLast();
            if (bytes.size() + buffer.remaining() > limit) {
                chunk.release();
                TooLarge tooLarge = new TooLarge();
                source.fail(tooLarge);
                result.completeExceptionally(tooLarge);
                return;
            }
            byte[] part = new byte[buffer.remaining()];
            buffer.get(part);
            bytes.writeBytes(part);
            chunk.release();
            if (last) {
                result.complete(bytes.toByteArray());
                return;
            }
        }
    }
}

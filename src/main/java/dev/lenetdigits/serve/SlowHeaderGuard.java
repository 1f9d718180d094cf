package dev.lenetdigits.serve;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Closes connections whose request line and headers take longer than the read timeout to arrive: a client
 * that sends one byte a second ("slowloris") never reaches a handler, and Jetty's idle timeout alone would
 * let it trickle for hours. Bodies have their own deadline in {@link Routes}. Run from one thread, every
 * fraction of the timeout.
 */
final class SlowHeaderGuard {
    private final long timeoutNanos;
    /** Connections seen in the middle of a request's headers: request count then, and since when. */
    private final Map<EndPoint, long[]> midHeaders = new HashMap<>();

    SlowHeaderGuard(long timeoutMs) {
        this.timeoutNanos = timeoutMs * 1_000_000L;
    }

    void sweep(Collection<EndPoint> endPoints) {
        long now = System.nanoTime();
        Map<EndPoint, long[]> still = new HashMap<>();
        for (EndPoint endPoint : endPoints) {
            if (!(endPoint.getConnection() instanceof HttpConnection connection)) {
                continue;
            }
            HttpParser parser = connection.getParser();
            if (parser.isState(HttpParser.State.START) || !parser.inHeaderState()) {
                continue; // idle between requests, or past the headers
            }
            long requests = connection.getMessagesIn();
            long[] seen = midHeaders.get(endPoint);
            if (seen == null || seen[0] != requests) {
                seen = new long[] {requests, now};
            } else if (now - seen[1] > timeoutNanos) {
                endPoint.close(new TimeoutException("request headers too slow"));
                continue;
            }
            still.put(endPoint, seen);
        }
        midHeaders.clear();
        midHeaders.putAll(still);
    }
}

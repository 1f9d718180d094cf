package dev.lenetdigits.serve;

import java.util.Map;

/**
 * A request the server refuses: the HTTP status, the one line that goes back as {@code {"error": "..."}}, and
 * any header the status calls for (Retry-After, Allow, WWW-Authenticate). Thrown for what the client sent (4xx)
 * and for what the server cannot take now (503).
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false); // no stack trace: it is an answer, not a bug
        this.status = status;
        this.headers = headers;
    }

    /** 503 with Retry-After: the server cannot take the request now, but will soon. */
    static ApiException unavailable(String message) {
        return new ApiException(503, message, Map.of("Retry-After", "1"));
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }
}

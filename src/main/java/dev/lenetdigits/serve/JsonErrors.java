package dev.lenetdigits.serve;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * The errors Jetty answers by itself (a malformed request line, headers too large, a request during
 * shutdown) in the same form as the server's own: one line of JSON, {@code {"error": "..."}}, never an HTML
 * page or a stack trace.
 */
final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Routes.send(response, callback, code, Routes.JSON, Answers.error(text(code, message)));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Routes.JSON);
        return ByteBuffer.wrap(Answers.error(text(status, reason)));
    }

    /** Jetty's reason when it has one (never a stack trace: only its first line, and not for 5xx). */
    private static String text(int code, String message) {
        String standard = code + " " + HttpStatus.getMessage(code);
        if (message == null || message.isBlank() || code >= 500 || message.equals(HttpStatus.getMessage(code))) {
            return standard;
        }
        String line = message.lines().findFirst().orElse("").trim();
        return standard + ": " + (line.length() > 120 ? line.substring(0, 120) + "…" : line);
    }
}

package dev.lenetdigits.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain HTTP/1.1 client for the server under test, and the checks every answer must pass. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private final URI base;
    private final String key;

    Http(URI base) {
        this(base, null);
    }

    Http(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    Http withKey(String k) {
        return new Http(base, k);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    HttpResponse<String> postJson(String json) {
        return post("/v1/predict", "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** One HTTP/1.1 response read off a raw socket: status line, headers and a Content-Length body. */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** A 200 answer's JSON object. */
    static JsonObject ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /**
     * A refusal: the status, JSON content, and a body of exactly one line holding {@code {"error": "..."}}
     * whose text contains {@code fragment}; never a stack trace. Returns the error text.
     */
    static String refused(HttpResponse<String> r, int status, String fragment) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        String body = r.body();
        assertTrue(body.endsWith("\n") && body.indexOf('\n') == body.length() - 1, "one line: " + body);
        JsonElement parsed = JsonParser.parseString(body);
        JsonObject o = parsed.getAsJsonObject();
        assertEquals(Set.of("error"), o.keySet(), body);
        String error = o.get("error").getAsString();
        assertTrue(error.contains(fragment), "'" + fragment + "' in: " + error);
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("at org.") || body.contains("at java."),
                "no stack trace: " + body);
        return error;
    }
}

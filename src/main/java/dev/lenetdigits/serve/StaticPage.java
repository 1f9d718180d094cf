package dev.lenetdigits.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The draw-a-digit page: plain HTML, CSS and JavaScript from the jar, read once and served from memory. */
final class StaticPage {
    /** One file of the page. */
    record File(String contentType, byte[] bytes) {}

    /**
     * What the page may load: only its own files and the images it makes itself. The browser enforces this,
     * so nothing is ever fetched from elsewhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String FOLDER = "page/";

    private final Map<String, File> files;

    StaticPage() {
        files = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/app.js", load("app.js", "text/javascript; charset=utf-8"),
                "/style.css", load("style.css", "text/css; charset=utf-8"));
    }

    /** The file at {@code path}, or null. */
    File get(String path) {
        return files.get(path.equals("/index.html") ? "/" : path);
    }

    private static File load(String name, String contentType) {
        try (InputStream in = StaticPage.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + FOLDER + name);
            }
            return new File(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

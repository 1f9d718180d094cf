package dev.lenetdigits.device;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dynamic loader's own reason why a native library did not load, as one line: the first library it could
 * not find or the first symbol it could not resolve.
 *
 * <p>JavaCPP tries a library by its path and, when that fails, by its name on {@code java.library.path}; the
 * error it throws then says only "no torch_cuda in java.library.path", and the loader's words sit in its cause.
 */
final class NativeLoadFailure {
    /** What glibc's loader says when it refuses a library (dlerror), as the JDK passes it on. */
    private static final Pattern LOADER_WORDS = Pattern.compile("cannot open shared object file|undefined symbol"
            + "|version `[^']*' not found|invalid ELF header|wrong ELF class|file too short"
            + "|cannot allocate memory in static TLS block|cannot enable executable stack|failed to map segment");

    private NativeLoadFailure() {}

    /**
     * The loader's message from {@code error} or its causes, folders left out:
     * "libtorch_cuda.so: libcusparse.so.12: cannot open shared object file". Without one, the innermost message.
     */
    static String reason(Throwable error) {
        String innermost = null;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (message == null || message.isBlank()) {
                continue;
            }
            if (LOADER_WORDS.matcher(message).find()) {
                return tidy(message);
            }
            innermost = message;
        }
        return innermost == null ? error.getClass().getSimpleName() : tidy(innermost);
    }

    /** One line: file names without their folders, each said once, without errno's words and search paths. */
    static String tidy(String message) {
        String line = message.lines().findFirst().orElse("").trim();
        line = line.replaceAll("(?<![\\w.-])/(?:[^\\s:/()]+/)+", ""); // /a/b/libx.so -> libx.so
        line = line.replace(": No such file or directory", "");
        line = line.replaceAll("^([^\\s:]+): \\1: ", "$1: "); // the JDK names the file that dlerror names again
        line = line.replaceAll("(in java\\.library\\.path).*", "$1");
        return line;
    }
}

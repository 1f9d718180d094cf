package dev.lenetdigits.serve;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import dev.lenetdigits.data.DigitSet;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code POST /v1/predict} is sent: {@code {"pixels": [784 integers 0-255]}},
 * {@code {"instances": [[784], ...]}}, or an image's bytes. Every way a body can be wrong is an
 * {@link ApiException} with its status and one line saying what and where.
 */
final class PredictBodies {
    /** The image formats decoded, by ImageIO's format names. */
    static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "bmp", "gif");
    private static final String SHAPE = "send {\"pixels\": [784 integers 0-255]} or {\"instances\": [[784 integers], ...]}";
    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

    private PredictBodies() {}

    /** Digits from a JSON body, and whether it was one digit ("pixels") or a list ("instances"). */
    record Digits(byte[][] digits, boolean single) {}

    /**
     * Parses a JSON body.
     *
     * @throws ApiException 400 for JSON that does not parse, 422 for JSON of the wrong shape or values,
     *                      413 for more than {@code maxInstances} digits
     */
    static Digits json(byte[] body, int maxInstances) {
        JsonReader reader = new JsonReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        reader.setStrictness(Strictness.STRICT);
        try {
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new ApiException(422, "expected a JSON object: " + SHAPE);
            }
            reader.beginObject();
            Digits digits = null;
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (digits != null && (name.equals("pixels") || name.equals("instances"))) {
                    throw new ApiException(422, "\"" + name + "\" after another digit field: " + SHAPE);
                }
                switch (name) {
                    case "pixels" -> digits = new Digits(new byte[][] {digit(reader, "pixels")}, true);
                    case "instances" -> digits = new Digits(instances(reader, maxInstances), false);
                    default -> throw new ApiException(422, "unknown field \"" + name + "\": " + SHAPE);
                }
            }
            reader.endObject();
            endOfDocument(reader);
            if (digits == null) {
                throw new ApiException(422, "no \"pixels\" or \"instances\": " + SHAPE);
            }
            return digits;
        } catch (EOFException e) {
            throw new ApiException(400, body.length == 0 ? "empty body: " + SHAPE : "bad JSON: the body ends too soon");
        } catch (MalformedJsonException | IllegalStateException e) {
            throw new ApiException(400, "bad JSON" + position(e.getMessage()));
        } catch (IOException e) {
            throw new ApiException(400, "bad JSON" + position(e.getMessage()));
        }
    }

    /** Nothing may follow the object but white space. */
    private static void endOfDocument(JsonReader reader) throws IOException {
        boolean more;
        try {
            more = reader.peek() != JsonToken.END_DOCUMENT;
        } catch (MalformedJsonException e) {
            more = true; // in strict mode a second value is itself malformed
        }
        if (more) {
            throw new ApiException(400, "bad JSON: more after the object ends");
        }
    }

    private static byte[][] instances(JsonReader reader, int maxInstances) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw new ApiException(422, "instances: expected an array of digits, each an array of 784 integers 0-255");
        }
        List<byte[]> digits = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            if (digits.size() == maxInstances) {
                throw new ApiException(413, "instances: more than " + maxInstances
                        + " digits in one request; send them in several");
            }
            digits.add(digit(reader, "instances[" + digits.size() + "]"));
        }
        reader.endArray();
        if (digits.isEmpty()) {
            throw new ApiException(422, "instances: empty; send at least one digit");
        }
        return digits.toArray(byte[][]::new);
    }

    /** One digit: an array of 784 integers 0-255 (row-major 28×28, 0 = background, 255 = ink). */
    private static byte[] digit(JsonReader reader, String where) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw new ApiException(422, where + ": expected an array of 784 integers 0-255 (28×28, row-major)");
        }
        byte[] pixels = new byte[DigitSet.PIXELS];
        int count = 0;
        reader.beginArray();
        while (reader.hasNext()) {
            if (reader.peek() != JsonToken.NUMBER) {
                throw new ApiException(422, where + "[" + count + "]: " + describe(reader) + " is not an integer 0-255");
            }
            int value;
            try {
                value = reader.nextInt();
            } catch (NumberFormatException e) {
                throw new ApiException(422, where + "[" + count + "]: " + reader.nextString() + " is not an integer 0-255");
            }
            if (value < 0 || value > 255) {
                throw new ApiException(422, where + "[" + count + "]: " + value + " is not an integer 0-255");
            }
            if (count < pixels.length) {
                pixels[count] = (byte) value;
            }
            count++;
        }
        reader.endArray();
        if (count != DigitSet.PIXELS) {
            throw new ApiException(422, where + ": " + count + " values; a digit is 784 (28×28)");
        }
        return pixels;
    }

    /** A non-number value in a pixel array, for the message. */
    private static String describe(JsonReader reader) throws IOException {
        JsonToken token = reader.peek();
        if (token == JsonToken.STRING) {
            String s = reader.nextString();
            return "\"" + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "\"";
        }
        return token.name().toLowerCase(Locale.ROOT).replace("begin_", "");
    }

    private static String position(String message) {
        Matcher m = POSITION.matcher(message == null ? "" : message);
        return m.find() ? " at line " + m.group(1) + " column " + m.group(2) : "";
    }

    /**
     * Decodes an image body, reading its width and height from the header first: an image that claims more
     * than {@code maxPixels} pixels is refused before any pixel memory is allocated.
     *
     * @throws ApiException 415 for a body that is no PNG, JPEG, BMP or GIF; 413 for too many pixels;
     *                      400 for an image that does not decode
     */
    static BufferedImage image(byte[] body, long maxPixels) {
        if (body.length == 0) {
            throw new ApiException(400, "empty body: send the image's bytes");
        }
        // in memory, never ImageIO's default file cache
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(body))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ApiException(415, "the body is not a PNG, JPEG, BMP or GIF image");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            if (!IMAGE_FORMATS.contains(format)) {
                throw new ApiException(415, "a " + format + " image; send PNG, JPEG, BMP or GIF");
            }
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width < 1 || height < 1) {
                    throw new ApiException(400, "a " + format + " image of " + width + "×" + height + " pixels");
                }
                if (width * height > maxPixels) {
                    throw new ApiException(413, "the " + format + " image claims " + width + "×" + height
                            + " pixels; at most " + maxPixels + " pixels are decoded (send a smaller picture)");
                }
                return reader.read(0);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ApiException a) {
                    throw a;
                }
                throw new ApiException(400, "not a readable " + format + " image (" + firstLine(e) + ")");
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ApiException(400, "not a readable image (" + firstLine(e) + ")");
        }
    }

    private static String firstLine(Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = text.lines().findFirst().orElse("").trim();
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}

package dev.lenetdigits.serve;

import com.google.gson.stream.JsonWriter;
import dev.lenetdigits.inference.DigitClassifier;
import dev.lenetdigits.inference.Prediction;
import dev.lenetdigits.model.Architectures;
import dev.lenetdigits.model.EnsembleRecord;
import dev.lenetdigits.model.ModelInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The JSON the server answers with, written by Gson's streaming writer. */
final class Answers {
    private Answers() {}

    private interface Body {
        void write(JsonWriter json) throws IOException;
    }

    private static byte[] json(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonWriter json = new JsonWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    /** {@code {"error": "..."}} */
    static byte[] error(String message) {
        return json(j -> j.beginObject().name("error").value(message).endObject());
    }

    /** {@code {"status": "..."}} */
    static byte[] status(String status) {
        return json(j -> j.beginObject().name("status").value(status).endObject());
    }

    /**
     * One digit's answer, the fields of the inference CLI's {@code --json}: digit, probability, the ten
     * probabilities; for an image also the 28×28 digit the network saw, row-major, 0-255 (null for none).
     */
    static byte[] prediction(Prediction p, byte[] seen) {
        return json(j -> {
            writePrediction(j, p);
            if (seen != null) {
                // the object is still open: add the image the network saw
                j.name("image").beginArray();
                for (byte b : seen) {
                    j.value(b & 0xff);
                }
                j.endArray();
            }
            j.endObject();
        });
    }

    /** {@code {"predictions": [...]}}, one answer per digit in the order sent. */
    static byte[] predictions(List<Prediction> predictions) {
        return json(j -> {
            j.beginObject().name("predictions").beginArray();
            for (Prediction p : predictions) {
                writePrediction(j, p);
                j.endObject();
            }
            j.endArray().endObject();
        });
    }

    /** Opens an object and writes digit, probability and probabilities; the caller closes it. */
    private static void writePrediction(JsonWriter j, Prediction p) throws IOException {
        j.beginObject();
        j.name("digit").value(p.digit());
        j.name("probability").value(p.probability());
        j.name("probabilities").beginArray();
        for (float f : p.probabilities()) {
            j.value(f);
        }
        j.endArray();
    }

    /** What {@code GET /v1/model} says: the model file's record and how this server runs it. */
    static byte[] model(DigitClassifier classifier, String file, ServeOptions options) {
        ModelInfo info = classifier.info();
        List<String> members = Architectures.membersOf(info.architecture());
        List<String> seeds = EnsembleRecord.seeds(info.training(), members.size());
        return json(j -> {
            j.beginObject();
            j.name("file").value(file);
            j.name("architecture").value(info.architecture());
            j.name("members").beginArray();
            for (int i = 0; i < members.size(); i++) {
                j.beginObject().name("architecture").value(members.get(i)).name("seed").value(seeds.get(i)).endObject();
            }
            j.endArray();
            j.name("classes").value(info.classes());
            j.name("input").beginObject()
                    .name("width").value(28).name("height").value(28)
                    .name("pixels").value("784 integers 0-255, row-major, 0 = background, 255 = ink")
                    .name("normalization").beginObject()
                    .name("formula").value("(pixel / 255 - mean) / std")
                    .name("mean").value(info.normalization().mean())
                    .name("std").value(info.normalization().std())
                    .endObject()
                    .endObject();
            j.name("validation_accuracy");
            if (Double.isNaN(info.validationAccuracy())) {
                j.nullValue();
            } else {
                j.value(info.validationAccuracy());
            }
            j.name("training").beginObject();
            for (Map.Entry<String, String> e : info.training().entrySet()) {
                j.name(e.getKey()).value(e.getValue());
            }
            j.endObject();
            j.name("serving").beginObject()
                    .name("device").value(classifier.device().description())
                    .name("precision").value(classifier.device().precision().toString())
                    .name("tta").value(options.tta())
                    .name("max_batch").value(options.maxBatch())
                    .name("max_wait_ms").value(options.maxWaitMs())
                    .name("max_instances").value(options.maxInstances())
                    .endObject();
            j.endObject();
        });
    }
}

package dev.lenetdigits.report;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.training.EpochResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A PNG of loss and accuracy per epoch, training and validation side by side, drawn with XChart. */
public final class TrainingCurves {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private TrainingCurves() {}

    /** The PNG written beside a model file: {@code model.pt} → {@code model.pt.curves.png}. */
    public static Path besideModel(Path model) {
        return model.resolveSibling(model.getFileName() + ".curves.png");
    }

    public static void write(Path png, List<EpochResult> epochs, String title) {
        double[] x = epochs.stream().mapToDouble(EpochResult::epoch).toArray();
        XYChart loss = chart(title + ": loss", "loss");
        loss.addSeries("train", x, epochs.stream().mapToDouble(EpochResult::trainLoss).toArray()).setMarker(SeriesMarkers.CIRCLE);
        XYChart accuracy = chart(title + ": accuracy", "accuracy (%)");
        accuracy.addSeries("train", x, epochs.stream().mapToDouble(e -> 100 * e.trainAccuracy()).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        if (epochs.stream().noneMatch(e -> Double.isNaN(e.validationAccuracy()))) {
            loss.addSeries("validation", x, epochs.stream().mapToDouble(EpochResult::validationLoss).toArray())
                    .setMarker(SeriesMarkers.DIAMOND);
            accuracy.addSeries("validation", x, epochs.stream().mapToDouble(e -> 100 * e.validationAccuracy()).toArray())
                    .setMarker(SeriesMarkers.DIAMOND);
        }
        // the stream overload: given a file name, XChart would append ".png" to the temporary name
        AtomicFiles.write(png, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisDecimalPattern("#");
        return chart;
    }
}

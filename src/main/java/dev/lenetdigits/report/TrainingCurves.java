package dev.lenetdigits.report;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.training.EpochResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A PNG of loss and accuracy per epoch (training and validation; per member for an ensemble), drawn with XChart. */
public final class TrainingCurves {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;
    /** Beyond this many epochs a marker per epoch would hide the line, and the epoch axis needs round steps. */
    private static final int LONG_RUN_EPOCHS = 30;

    private TrainingCurves() {}

    /** The PNG written beside a model file: {@code model.pt} → {@code model.pt.curves.png}. */
    public static Path besideModel(Path model) {
        return model.resolveSibling(model.getFileName() + ".curves.png");
    }

    /** One network's curves: train, and validation when training had a validation split. */
    public static void write(Path png, List<EpochResult> epochs, String title) {
        writeMembers(png, List.of(epochs), title);
    }

    /**
     * An ensemble's curves: one colour per member, training solid and validation dashed. A member with no
     * recorded epochs (its checkpoints deleted before a resumed run loaded it) is left out, and the others
     * keep their own numbers.
     */
    public static void writeMembers(Path png, List<List<EpochResult>> members, String title) {
        boolean single = members.size() == 1;
        boolean anyValidation = members.stream().flatMap(List::stream).anyMatch(e -> !Double.isNaN(e.validationAccuracy()));
        String key = single || !anyValidation ? "" : " (solid: train, dashed: validation)";
        boolean longRun = members.stream().mapToInt(List::size).max().orElse(0) > LONG_RUN_EPOCHS;
        XYChart loss = chart(title + ": loss" + key, "loss", longRun);
        XYChart accuracy = chart(title + ": accuracy" + key, "accuracy (%)", longRun);
        Color[] palette = loss.getStyler().getSeriesColors();
        for (int m = 0; m < members.size(); m++) {
            List<EpochResult> epochs = members.get(m);
            if (epochs.isEmpty()) {
                continue;
            }
            String name = single ? "" : "member " + (m + 1);
            Color color = palette[m % palette.length];
            double[] x = epochs.stream().mapToDouble(EpochResult::epoch).toArray();
            boolean validated = epochs.stream().noneMatch(e -> Double.isNaN(e.validationAccuracy()));
            for (XYChart chart : List.of(loss, accuracy)) {
                boolean isLoss = chart == loss;
                double[] train = epochs.stream().mapToDouble(e -> isLoss ? e.trainLoss() : 100 * e.trainAccuracy()).toArray();
                XYSeries t = chart.addSeries(single ? "train" : name, x, train);
                t.setMarker(longRun ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
                if (!single) { // the member's colour on both lines; the legend names each member once
                    t.setLineColor(color);
                    t.setMarkerColor(color);
                }
                if (!validated) {
                    continue;
                }
                double[] val = epochs.stream()
                        .mapToDouble(e -> isLoss ? e.validationLoss() : 100 * e.validationAccuracy()).toArray();
                XYSeries v = chart.addSeries(single ? "validation" : name + " validation", x, val);
                v.setMarker(longRun ? SeriesMarkers.NONE : SeriesMarkers.DIAMOND);
                if (!single) {
                    v.setLineColor(color);
                    v.setMarkerColor(color);
                    v.setLineStyle(SeriesLines.DASH_DASH);
                    v.setShowInLegend(false);
                }
            }
        }
        // the stream overload: given a file name, XChart would append ".png" to the temporary name
        AtomicFiles.write(png, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    private static XYChart chart(String title, String yTitle, boolean longRun) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisDecimalPattern("#");
        if (longRun) {
            // XChart puts the ticks of evenly spaced data on data points, which packs a long run's epoch
            // numbers into each other (1 5 9 13 ... 97); an axis from 0 gets round steps (0 6 12 ... 96)
            chart.getStyler().setXAxisMin(0.0);
        }
        return chart;
    }
}

package dev.lenetdigits.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line bench prints last: what scripts parse (native-config/run-bundle.sh among them). */
class BenchmarkFiguresTest {
    private static final Benchmark.Spread SPREAD = new Benchmark.Spread(60744, 51000, 70001, 7);

    @Test
    void csvSpreadAlwaysAndGpuMemoryGrowthOnlyOnCuda() {
        assertEquals("bench recipe=lenet device=cpu threads=2 batch=128 train_img_per_s=3121.6 infer_img_per_s=9420.6 "
                        + "epoch_s=19.24 csv_rows_per_s=60744 csv_rows_per_s_min=51000 csv_rows_per_s_max=70001 csv_passes=7 rss_growth_mb=0.1 test_acc=0.9914",
                new Benchmark.Figures("lenet", "cpu", 2, 128, 3121.6, 9420.6, 19.24, SPREAD, 0.1, Double.NaN, 0.9914).format());
        assertEquals("bench recipe=lenet device=cuda threads=16 batch=128 train_img_per_s=150000.0 infer_img_per_s=900000.0 "
                        + "epoch_s=0.40 csv_rows_per_s=60744 csv_rows_per_s_min=51000 csv_rows_per_s_max=70001 csv_passes=7 rss_growth_mb=0.1 gpu_mem_growth_mb=0.0 test_acc=0.9914",
                new Benchmark.Figures("lenet", "cuda", 16, 128, 150000, 900000, 0.4, SPREAD, 0.1, 0.0, 0.9914).format());
    }

    @Test
    void csvSpreadIsTheMedianSlowestAndFastestPass() {
        assertEquals(new Benchmark.Spread(3, 1, 9, 5), Benchmark.Spread.of(new double[] {9, 1, 3, 2, 4}));
        assertEquals(new Benchmark.Spread(2.5, 1, 9, 4), Benchmark.Spread.of(new double[] {9, 1, 3, 2}));
    }
}

package dev.lenetdigits.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line bench prints last: what scripts parse (native-config/run-bundle.sh among them). */
class BenchmarkFiguresTest {
    @Test
    void gpuMemoryGrowthOnlyOnCuda() {
        assertEquals("bench recipe=lenet device=cpu threads=2 batch=128 train_img_per_s=3121.6 infer_img_per_s=9420.6 "
                        + "epoch_s=19.24 csv_rows_per_s=60744 rss_growth_mb=0.1 test_acc=0.9914",
                new Benchmark.Figures("lenet", "cpu", 2, 128, 3121.6, 9420.6, 19.24, 60744, 0.1, Double.NaN, 0.9914).format());
        assertEquals("bench recipe=lenet device=cuda threads=16 batch=128 train_img_per_s=150000.0 infer_img_per_s=900000.0 "
                        + "epoch_s=0.40 csv_rows_per_s=60744 rss_growth_mb=0.1 gpu_mem_growth_mb=0.0 test_acc=0.9914",
                new Benchmark.Figures("lenet", "cuda", 16, 128, 150000, 900000, 0.4, 60744, 0.1, 0.0, 0.9914).format());
    }
}

package dev.augsweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitBatchNormTest {
    @Test
    void normalisesEachSimulatedDeviceOnItsOwnAndAveragesRunningStatistics() {
        int n = 12;
        int c = 3;
        int hw = 4;
        int splits = 4;
        float[] x = new float[n * c * hw];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * (1 + i % 5) + i % 3);
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            SplitBatchNorm bn = new SplitBatchNorm(splits, MemoryLayout.NCHW);
            bn.initialize(m, DataType.FLOAT32, new Shape(n, c, 2, 2));
            float[] out = bn.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(n, c, 2, 2))), true)
                    .singletonOrThrow().toFloatArray();
            double[] meanOfMeans = new double[c];
            double[] meanOfVars = new double[c];
            for (int k = 0; k < splits; k++) {
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    double sq = 0;
                    int count = 0;
                    for (int s = k; s < n; s += splits) { // split k holds samples k, k + S, ...
                        for (int p = 0; p < hw; p++) {
                            double v = x[(s * c + ch) * hw + p];
                            sum += v;
                            sq += v * v;
                            count++;
                        }
                    }
                    double mean = sum / count;
                    double var = sq / count - mean * mean;
                    for (int s = k; s < n; s += splits) {
                        for (int p = 0; p < hw; p++) {
                            int i = (s * c + ch) * hw + p;
                            assertThat((double) out[i]).isCloseTo((x[i] - mean) / Math.sqrt(var + 1e-5), offset(1e-4));
                        }
                    }
                    meanOfMeans[ch] += mean / splits;
                    meanOfVars[ch] += var * count / (count - 1) / splits; // running variance is unbiased
                }
            }
            float[] runningMean = bn.getParameters().get("runningMean").getArray().toFloatArray();
            float[] runningVar = bn.getParameters().get("runningVar").getArray().toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                assertThat((double) runningMean[ch]).isCloseTo(0.1 * meanOfMeans[ch], offset(1e-5));
                assertThat((double) runningVar[ch]).isCloseTo(0.9 + 0.1 * meanOfVars[ch], offset(1e-4));
            }
            // Evaluation uses the averaged statistics like plain batch norm.
            float[] eval = bn.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(n, c, 2, 2))), false)
                    .singletonOrThrow().toFloatArray();
            assertThat((double) eval[0]).isCloseTo((x[0] - runningMean[0]) / Math.sqrt(runningVar[0] + 1e-5), offset(1e-4));
        }
    }
}

package dev.augsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.augsweep.model.Layers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SgdTest {
    @Test
    void matchesPytorchSgdAcrossLearningRateChanges() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Block linear = Layers.linear(2, 1, new SplittableRandom(1));
            linear.initialize(m, DataType.FLOAT32, new Shape(3, 2));
            Parameter weight = linear.getParameters().get("weight");
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("w", weight);
            params.put("b", linear.getParameters().get("bias"));
            Sgd sgd = new Sgd(params, 0.9, 5e-4);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
            // d(sum of outputs)/dw = column sums of x = (9, 12), constant every step.
            double[] w = {weight.getArray().toFloatArray()[0], weight.getArray().toFloatArray()[1]};
            double[] g = {9, 12};
            double[] buf = {0, 0};
            double[] lrs = {0.1, 0.1, 0.05, 0.01};
            for (double lr : lrs) {
                sgd.setLearningRate(lr);
                try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                    gc.backward(linear.forward(ps, new NDList(x), true).singletonOrThrow().sum());
                }
                sgd.step();
                for (int i = 0; i < 2; i++) { // torch.optim.SGD, dampening 0, no Nesterov
                    double d = g[i] + 5e-4 * w[i];
                    buf[i] = 0.9 * buf[i] + d;
                    w[i] -= lr * buf[i];
                }
            }
            float[] actual = weight.getArray().toFloatArray();
            assertThat((double) actual[0]).isCloseTo(w[0], offset(1e-4));
            assertThat((double) actual[1]).isCloseTo(w[1], offset(1e-4));
        }
    }
}

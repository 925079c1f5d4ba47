package dev.augsweep.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CifarResNet18Test {
    private static long trainable(SequentialBlock net) {
        return net.getParameters().values().stream().filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size()).sum();
    }

    @Test
    void fullWidthHasThePapersParameterCountAndFeatureSize() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            SequentialBlock net = CifarResNet18.build(1.0, false, new SplittableRandom(0));
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            // torchvision-style CIFAR ResNet-18 without its classifier: 11,168,832 parameters.
            assertThat(trainable(net)).isEqualTo(11_168_832L);
            NDList out = net.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(2, 3, 32, 32))), false);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(2, 512));
        }
    }

    @Test
    void widthMultiplierNarrowsEveryStage() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            SequentialBlock net = CifarResNet18.build(0.25, false, new SplittableRandom(0));
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            assertThat(CifarResNet18.featureDim(0.25)).isEqualTo(128);
            assertThat(trainable(net)).isBetween(690_000L, 710_000L); // about 1/16 of full width
            NDList out = net.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(1, 3, 32, 32))), false);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(1, 128));
        }
    }

    @Test
    void initialisationIsPytorchsUniformBoundAndSeeded() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            SequentialBlock a = CifarResNet18.build(0.25, false, new SplittableRandom(7));
            SequentialBlock b = CifarResNet18.build(0.25, false, new SplittableRandom(7));
            a.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            b.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            float[] stem = a.getParameters().get(0).getValue().getArray().toFloatArray();
            assertThat(stem).isEqualTo(b.getParameters().get(0).getValue().getArray().toFloatArray());
            double bound = 1 / Math.sqrt(3 * 3 * 3);
            float max = 0;
            for (float v : stem) {
                max = Math.max(max, Math.abs(v));
            }
            assertThat((double) max).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
        }
    }
}

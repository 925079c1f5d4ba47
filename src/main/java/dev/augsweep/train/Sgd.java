package dev.augsweep.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch's SGD (momentum, no dampening, no Nesterov, weight decay added to the gradient) on libtorch's fused
 * per-parameter update, one native call per parameter that also zeroes its gradient.
 *
 * <p>The fused update keeps {@code state = lr * buf} (it scales the gradient before the momentum sum) where PyTorch
 * keeps {@code buf}; rescaling the state whenever the learning rate changes makes the two identical.
 */
public final class Sgd {
    private final Map<String, Parameter> parameters;
    private final Map<String, NDArray> states = new LinkedHashMap<>();
    private final float momentum;
    private final float weightDecay;
    private double lr = Double.NaN;

    public Sgd(Map<String, Parameter> parameters, double momentum, double weightDecay) {
        this.parameters = parameters;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        parameters.forEach((name, p) -> states.put(name, p.getArray().zerosLike()));
    }

    /** Sets the learning rate for the coming steps, rescaling momentum so it stays PyTorch's buffer times lr. */
    public void setLearningRate(double newLr) {
        if (!Double.isNaN(lr) && lr != newLr && lr > 0) {
            float ratio = (float) (newLr / lr);
            states.values().forEach(s -> s.muli(ratio));
        }
        lr = newLr;
    }

    public double learningRate() {
        return lr;
    }

    public void step() {
        float rate = (float) lr;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray weight = e.getValue().getArray();
            try (NDArray grad = weight.getGradient()) {
                weight.getNDArrayInternal().sgdUpdate(new NDList(weight, grad, states.get(e.getKey())),
                        new NDList(weight), rate, weightDecay, 1f, -1f, momentum, false);
            }
        }
    }

    /** The parameters it updates. */
    public java.util.Collection<Parameter> parameters() {
        return parameters.values();
    }

    /** Momentum state per parameter (lr times PyTorch's buffer), restored in place by checkpoints. */
    public Map<String, NDArray> states() {
        return states;
    }

    /** After a restore: the learning rate the restored state was scaled with. */
    public void restoreLearningRate(double stateLr) {
        lr = stateLr;
    }
}

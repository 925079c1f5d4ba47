package dev.augsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Image batches in channels-last memory (NHWC) seen as the NCHW tensors the network expects. libtorch's oneDNN
 * convolutions and batch norms run on NHWC without reordering every activation into a blocked layout and back
 * (that reorder cost 23% of a CPU step here); a convolution whose input is channels-last writes a channels-last
 * output, so the layout set on the input carries through the whole network. Numerics stay fp32.
 */
public final class ChannelsLast {
    private ChannelsLast() {
    }

    /** {@code count} interleaved (HWC) images of {@code side} x {@code side} pixels as an NCHW view, no copy. */
    public static NDArray images(NDManager manager, float[] interleaved, int count, int side) {
        NDArray nhwc = manager.create(FloatBuffer.wrap(interleaved, 0, count * side * side * 3),
                new Shape(count, side, side, 3));
        return nhwc.transpose(0, 3, 1, 2);
    }

    /** The same NCHW tensor stored channels-last: a view when it already is, otherwise one copy. */
    public static NDArray of(NDArray nchw) {
        Shape s = nchw.getShape();
        return nchw.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }
}

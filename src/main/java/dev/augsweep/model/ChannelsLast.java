package dev.augsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Image batches in channels-last memory (NHWC) seen as the NCHW tensors the network expects. libtorch's oneDNN
 * convolutions and batch norms run on NHWC without reordering every activation into a blocked layout and back
 * (that reorder cost 23% of a CPU step here); a convolution whose input is channels-last writes a channels-last
 * output, so the layout set on the input carries through the whole network. Numerics stay fp32.
 *
 * <p>An instance stages batches in one native buffer it reuses: handed a heap array, DJL copies it into a fresh
 * direct buffer per tensor that only the garbage collector frees, so resident memory climbed between collections.
 */
public final class ChannelsLast {
    private final ByteBuffer staging;
    private final FloatBuffer floats;
    private final int side;

    /** Room for up to {@code maxImages} images of {@code side} x {@code side} pixels, three channels. */
    public ChannelsLast(int maxImages, int side) {
        this.side = side;
        this.staging = ByteBuffer.allocateDirect(maxImages * side * side * 3 * Float.BYTES).order(ByteOrder.nativeOrder());
        this.floats = staging.asFloatBuffer();
    }

    /**
     * {@code count} interleaved (HWC) images as an NCHW view of channels-last memory. On the CPU the array shares
     * this instance's buffer, so it is valid until the next call.
     */
    public NDArray images(NDManager manager, float[] interleaved, int count) {
        int floatsNeeded = count * side * side * 3;
        floats.clear();
        floats.put(interleaved, 0, floatsNeeded);
        staging.clear().limit(floatsNeeded * Float.BYTES);
        return manager.create(staging, new Shape(count, side, side, 3), DataType.FLOAT32).transpose(0, 3, 1, 2);
    }

    /** The same NCHW tensor stored channels-last: a view when it already is, otherwise one copy. */
    public static NDArray of(NDArray nchw) {
        Shape s = nchw.getShape();
        return nchw.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2);
    }
}

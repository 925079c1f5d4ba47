package dev.augsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Image batches entering the network: interleaved (HWC) views, as the augmenter writes them, become an NCHW tensor
 * in the network's {@link MemoryLayout} (channels-last: a view of the staged memory; NCHW: one native copy).
 *
 * <p>An instance stages batches in one native buffer it reuses: handed a heap array, DJL copies it into a fresh
 * direct buffer per tensor that only the garbage collector frees, so resident memory climbed between collections.
 */
public final class ImageInput {
    private final ByteBuffer staging;
    private final FloatBuffer floats;
    private final int side;
    private final MemoryLayout layout;

    /** Room for up to {@code maxImages} images of {@code side} x {@code side} pixels, three channels. */
    public ImageInput(int maxImages, int side, MemoryLayout layout) {
        this.side = side;
        this.layout = layout;
        this.staging = ByteBuffer.allocateDirect(maxImages * side * side * 3 * Float.BYTES).order(ByteOrder.nativeOrder());
        this.floats = staging.asFloatBuffer();
    }

    /**
     * {@code count} interleaved (HWC) images as an NCHW tensor in this input's layout. On the CPU a channels-last
     * array shares this instance's buffer, so it is valid until the next call.
     */
    public NDArray images(NDManager manager, float[] interleaved, int count) {
        int floatsNeeded = count * side * side * 3;
        floats.clear();
        floats.put(interleaved, 0, floatsNeeded);
        staging.clear().limit(floatsNeeded * Float.BYTES);
        NDArray nhwc = manager.create(staging, new Shape(count, side, side, 3), DataType.FLOAT32);
        return layout.arrange(nhwc.transpose(0, 3, 1, 2));
    }

    /**
     * {@code count} interleaved (HWC) 8-bit images, normalised on the tensor's device by {@code mean} and {@code std}
     * per channel with the host's arithmetic (x / 255, less the mean, times 1 / std, in fp32): a quarter of the bytes
     * of {@link #images(NDManager, float[], int)} cross to the device, and the normalised views are the ones the host
     * would have made from the same bytes.
     */
    public NDArray images(NDManager manager, byte[] interleaved, int count, float[] mean, float[] std) {
        int bytesNeeded = count * side * side * 3;
        staging.clear();
        staging.put(interleaved, 0, bytesNeeded);
        staging.flip();
        NDArray nhwc = manager.create(staging, new Shape(count, side, side, 3), DataType.UINT8);
        float[] inv = new float[3];
        for (int c = 0; c < 3; c++) {
            inv[c] = 1f / std[c];
        }
        NDArray normalised = nhwc.toType(DataType.FLOAT32, false).muli(1f / 255f).subi(manager.create(mean))
                .muli(manager.create(inv));
        return layout.arrange(normalised.transpose(0, 3, 1, 2));
    }

    public MemoryLayout layout() {
        return layout;
    }
}

package dev.augsweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How activations sit in memory while the network computes on them; the tensors keep their NCHW shape either way,
 * so the arithmetic is the same fp32 arithmetic. A convolution writes its output in its input's layout, so the
 * layout given to the network's input carries through every layer.
 */
public enum MemoryLayout {
    /**
     * NHWC memory seen as NCHW. libtorch's oneDNN kernels then convolve in place instead of reordering every
     * activation into a blocked layout and back (23% of a CPU step at width 1/4); see {@link #forNetwork} for
     * where it is not safe.
     */
    CHANNELS_LAST("channels-last"),
    /** Contiguous NCHW, PyTorch's default layout and the paper's code's. */
    NCHW("nchw");

    /**
     * oneDNN keeps fp32 channels in blocks of 16 (AVX-512) or 8 (AVX2). Its 1x1 stride-2 convolution, run on
     * channels-last input, first copies the strided input into a dense workspace, and its backward-weights pass
     * writes past that workspace when the input channels do not fill whole blocks (oneDNN #6035, "1x1 convolution
     * backward_weights writes past the rtus workspace (nhwc, IC < ic_block)"): a crash, a hang, or silently wrong
     * weight gradients, depending on the CPU and thread count. Seen here: width 1/16 (4 channels) under AVX2, width
     * 1/8 (8 channels) under AVX-512. We only use channels-last when every such input fills whole AVX-512 blocks.
     */
    static final int SAFE_CHANNEL_BLOCK = 16;

    private final String key;

    MemoryLayout(String key) {
        this.key = key;
    }

    /** The name users write (layout = channels-last) and results record. */
    public String key() {
        return key;
    }

    /**
     * The layout for a CIFAR ResNet-18 of this width: channels-last when the input channels of every stride-2 1x1
     * shortcut convolution are a whole number of {@value #SAFE_CHANNEL_BLOCK}-float blocks (width 1/4 and up in
     * steps of 1/4, so widths 1/4, 1/2 and 1), NCHW otherwise.
     */
    public static MemoryLayout forNetwork(double width) {
        for (int channels : CifarResNet18.stridedShortcutInputs(width)) {
            if (channels % SAFE_CHANNEL_BLOCK != 0) {
                return NCHW;
            }
        }
        return CHANNELS_LAST;
    }

    /** auto (the rule above), nchw or channels-last, as the {@code layout} setting names them. */
    public static MemoryLayout resolve(String requested, double width) {
        return switch (requested) {
            case "auto" -> forNetwork(width);
            case "nchw" -> NCHW;
            case "channels-last" -> CHANNELS_LAST;
            default -> throw new IllegalArgumentException("unknown layout " + requested);
        };
    }

    /**
     * The same 4-d NCHW tensor stored in this layout: a view when it already is, otherwise one copy. Flattening is
     * what copies: reshaping to the same shape is always a view, so it would keep the old layout.
     */
    public NDArray arrange(NDArray nchw) {
        Shape s = nchw.getShape();
        if (this == NCHW) {
            return nchw.reshape(-1).reshape(s);
        }
        return nchw.transpose(0, 2, 3, 1).reshape(-1).reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }
}

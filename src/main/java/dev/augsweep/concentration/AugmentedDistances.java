package dev.augsweep.concentration;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * d_A(x_i, x_j) = min over the views u of x_i and w of x_j of ||u - w||, for every two images of a class: per
 * block of images, one matrix product against all views (||u||^2 + ||w||^2 - 2 u.w) and a min over each
 * (views x views) block, never pair by pair. Float arithmetic; the result is made exactly symmetric.
 */
public final class AugmentedDistances {
    private AugmentedDistances() {
    }

    /**
     * @param vectors n images x v vectors (each image's views, the image itself among them) x d values, row-major
     * @param block   images per matrix product (bounds the memory of the product: block x v x n x v floats)
     * @return n x n distances, row-major, zero on the diagonal
     */
    public static float[] compute(NDManager manager, float[] vectors, int n, int v, int d, int block) {
        float[] out = new float[n * n];
        try (NDManager m = manager.newSubManager()) {
            NDArray all = m.create(vectors, new Shape((long) n * v, d));
            NDArray norms = all.square().sum(new int[] {1});
            // -2 w, once, so that the product gives -2 u.w; ||u||^2 is the same for every w of a min over w, so it
            // is added after that min, on a v-times smaller array: one full-size pass per block besides the product.
            NDArray minusTwoAllT = all.transpose().mul(-2f);
            NDArray columnNorms = norms.expandDims(0);
            for (int start = 0; start < n; start += block) {
                int end = Math.min(n, start + block);
                try (NDManager b = m.newSubManager()) {
                    NDArray rows = all.get(start * v + ":" + end * v);
                    rows.attach(b);
                    NDArray rowNorms = norms.get(start * v + ":" + end * v);
                    rowNorms.attach(b);
                    NDArray nearestView = rows.matMul(minusTwoAllT).addi(columnNorms)
                            .reshape(end - start, v, n, v).min(new int[] {3});
                    float[] min = nearestView.addi(rowNorms.reshape(end - start, v, 1)).min(new int[] {1})
                            .maximum(0f).sqrt().toFloatArray();
                    System.arraycopy(min, 0, out, start * n, min.length);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            out[i * n + i] = 0;
            for (int j = i + 1; j < n; j++) {
                float sym = Math.min(out[i * n + j], out[j * n + i]);
                out[i * n + j] = sym;
                out[j * n + i] = sym;
            }
        }
        return out;
    }
}

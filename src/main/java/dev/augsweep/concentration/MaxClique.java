package dev.augsweep.concentration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The largest set of a class's images whose pairwise augmented distances are all at most delta: a maximum clique
 * of the delta-graph. Branch and bound with a greedy-colouring bound (Tomita and Kameda's MCQ), vertices taken in
 * order of degree, within a budget of search nodes: when the budget runs out the best clique found so far is a
 * lower bound, and the result says so. A greedy clique (highest degree first) seeds the search.
 */
public final class MaxClique {
    /** The clique's size, and whether the search proved it maximum (else it is a lower bound). */
    public record Result(int size, boolean exact, long nodes) {
    }

    private final BitSet[] adjacent;
    private final long budget;
    private long nodes;
    private int best;
    private boolean exhausted;

    private MaxClique(BitSet[] adjacent, long budget) {
        this.adjacent = adjacent;
        this.budget = budget;
    }

    /**
     * @param distances symmetric n x n augmented distances (row-major)
     * @param budget    search nodes allowed before settling for the best clique found
     */
    public static Result of(float[] distances, int n, double delta, long budget) {
        BitSet[] adjacent = new BitSet[n];
        for (int i = 0; i < n; i++) {
            adjacent[i] = new BitSet(n);
            for (int j = 0; j < n; j++) {
                if (i != j && distances[i * n + j] <= delta) {
                    adjacent[i].set(j);
                }
            }
        }
        MaxClique search = new MaxClique(adjacent, budget);
        return search.run(n);
    }

    private Result run(int n) {
        if (n == 0) {
            return new Result(0, true, 0);
        }
        best = greedy(n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> adjacent[b].cardinality() - adjacent[a].cardinality());
        List<Integer> candidates = new ArrayList<>(Arrays.asList(order));
        expand(0, candidates);
        return new Result(best, !exhausted, nodes);
    }

    /** Highest degree first, keeping each vertex adjacent to all chosen so far. */
    private int greedy(int n) {
        BitSet left = new BitSet(n);
        left.set(0, n);
        int size = 0;
        while (!left.isEmpty()) {
            int pick = -1;
            int degree = -1;
            for (int v = left.nextSetBit(0); v >= 0; v = left.nextSetBit(v + 1)) {
                BitSet within = (BitSet) adjacent[v].clone();
                within.and(left);
                if (within.cardinality() > degree) {
                    degree = within.cardinality();
                    pick = v;
                }
            }
            size++;
            left.and(adjacent[pick]);
        }
        return size;
    }

    private void expand(int size, List<Integer> candidates) {
        if (++nodes > budget) {
            exhausted = true;
            return;
        }
        int[] colour = new int[candidates.size()];
        List<Integer> ordered = colourSort(candidates, colour);
        for (int i = ordered.size() - 1; i >= 0 && !exhausted; i--) {
            if (size + colour[i] <= best) {
                return; // no clique through the remaining vertices can beat the best
            }
            int v = ordered.get(i);
            List<Integer> next = new ArrayList<>();
            for (int k = 0; k < i; k++) {
                if (adjacent[v].get(ordered.get(k))) {
                    next.add(ordered.get(k));
                }
            }
            if (next.isEmpty()) {
                best = Math.max(best, size + 1);
            } else {
                expand(size + 1, next);
            }
        }
    }

    /** Greedy colouring; vertices returned by colour, colour[i] the number of colours up to vertex i (a bound). */
    private List<Integer> colourSort(List<Integer> candidates, int[] colour) {
        List<List<Integer>> classes = new ArrayList<>();
        for (int v : candidates) {
            int c = 0;
            while (c < classes.size() && classes.get(c).stream().anyMatch(u -> adjacent[v].get(u))) {
                c++;
            }
            if (c == classes.size()) {
                classes.add(new ArrayList<>());
            }
            classes.get(c).add(v);
        }
        List<Integer> ordered = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (int v : classes.get(c)) {
                colour[ordered.size()] = c + 1;
                ordered.add(v);
            }
        }
        return ordered;
    }
}

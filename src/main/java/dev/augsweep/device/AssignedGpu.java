package dev.augsweep.device;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one GPU a trial may use, as its worker process is told: {@code CUDA_VISIBLE_DEVICES} names only it, so the
 * trial trains on {@code gpu(0)} and cannot touch (or allocate a context on) any other GPU of the machine.
 *
 * <p>Addresses come as the cluster hands them out: Spark's example discovery script and most others print
 * {@code nvidia-smi} indices (PCI bus order, whatever CUDA_VISIBLE_DEVICES says), some print UUIDs
 * ({@code GPU-...}) or MIG instances ({@code MIG-...}), and in local mode they are the entries of the driver's own
 * {@code CUDA_VISIBLE_DEVICES} or indices. UUIDs and MIG ids are passed through; an index is resolved against the
 * executor's {@code CUDA_VISIBLE_DEVICES} when that is set (see {@link #resolve}) and comes with
 * {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, so that CUDA numbers the GPUs as nvidia-smi does (its default puts the
 * fastest first, which differs on machines with mixed cards).
 *
 * @param address        the address as the cluster (or local mode) gave it, recorded with the trial
 * @param visibleDevices the worker's CUDA_VISIBLE_DEVICES
 * @param pciBusOrder    whether the worker also gets CUDA_DEVICE_ORDER=PCI_BUS_ID (an index was resolved)
 * @param trialsOnGpu    how many trials share this GPU at most (1: the trial has it to itself)
 */
public record AssignedGpu(String address, String visibleDevices, boolean pciBusOrder, int trialsOnGpu)
        implements Serializable {
    public static final String VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";
    public static final String DEVICE_ORDER = "CUDA_DEVICE_ORDER";

    /** A GPU the trial has to itself. */
    public AssignedGpu(String address, String visibleDevices, boolean pciBusOrder) {
        this(address, visibleDevices, pciBusOrder, 1);
    }

    /** The same GPU, shared by up to {@code n} trials. */
    public AssignedGpu sharedBy(int n) {
        return new AssignedGpu(address, visibleDevices, pciBusOrder, n);
    }

    /**
     * @param executorVisible the executor's own CUDA_VISIBLE_DEVICES (null when unset). An index that is one of its
     *                        entries is taken as that GPU (an nvidia-smi index: YARN and standalone workers narrowed
     *                        by an operator); else as a position in it (containers that renumber their GPUs from 0,
     *                        and schedulers that narrow the list while a script reports positions).
     */
    public static AssignedGpu resolve(String address, String executorVisible) {
        String a = address == null ? "" : address.trim();
        if (a.isEmpty()) {
            throw new IllegalArgumentException("the cluster assigned an empty GPU address: check the discovery script "
                    + "(spark.executor.resource.gpu.discoveryScript), which must print {\"name\":\"gpu\","
                    + "\"addresses\":[...]}");
        }
        if (!isIndex(a)) { // GPU-<uuid>, MIG-<uuid> or MIG-GPU-<uuid>/gi/ci: CUDA takes them as they are
            return new AssignedGpu(a, a, false);
        }
        List<String> visible = entries(executorVisible);
        if (visible.isEmpty() || visible.contains(a)) {
            return new AssignedGpu(a, a, true);
        }
        int position = Integer.parseInt(a);
        if (position < visible.size()) {
            String entry = visible.get(position);
            return new AssignedGpu(a, entry, isIndex(entry));
        }
        throw new IllegalArgumentException("the cluster assigned GPU " + a + ", which is neither one of this "
                + "executor's CUDA_VISIBLE_DEVICES=" + executorVisible + " nor a position in it; make the discovery "
                + "script (spark.executor.resource.gpu.discoveryScript) print addresses of the GPUs this executor "
                + "can see");
    }

    /** The environment a worker process starts with. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(VISIBLE_DEVICES, visibleDevices);
        if (pciBusOrder) {
            env.put(DEVICE_ORDER, "PCI_BUS_ID");
        }
        return env;
    }

    /** The entries of a CUDA_VISIBLE_DEVICES value; empty when unset or blank. */
    static List<String> entries(String visibleDevices) {
        if (visibleDevices == null || visibleDevices.isBlank()) {
            return List.of();
        }
        return Arrays.stream(visibleDevices.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isIndex(String s) {
        return s.chars().allMatch(Character::isDigit);
    }
}

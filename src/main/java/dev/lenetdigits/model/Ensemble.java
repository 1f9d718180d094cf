package dev.lenetdigits.model;

import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * K networks of one architecture, trained with different seeds, as one network: its output is the log of
 * the members' averaged softmax probabilities. The members are submodules member0..member{K-1}, so the
 * model file holds them all under those prefixes, and everything that takes a {@link DigitNetwork}
 * (evaluation, prediction, the inference API) takes an ensemble as it is.
 */
public final class Ensemble extends DigitNetwork {
    private static final String PREFIX = "ensemble-";

    private final List<DigitNetwork> members;
    private final String memberArchitecture;

    /** Groups trained networks (all of one architecture) into an ensemble. */
    public Ensemble(List<DigitNetwork> trained) {
        if (trained.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 members, not " + trained.size());
        }
        memberArchitecture = trained.get(0).architecture();
        members = new ArrayList<>();
        for (int i = 0; i < trained.size(); i++) {
            if (!trained.get(i).architecture().equals(memberArchitecture)) {
                throw new IllegalArgumentException("members differ: " + memberArchitecture + ", " + trained.get(i).architecture());
            }
            members.add(register_module("member" + i, trained.get(i)));
        }
    }

    /** The name model files record: "ensemble-K:MEMBER", e.g. "ensemble-5:lenet-plus". */
    @Override
    public String architecture() {
        return PREFIX + members.size() + ":" + memberArchitecture;
    }

    public int size() {
        return members.size();
    }

    /** The members, in order. */
    public List<DigitNetwork> members() {
        return List.copyOf(members);
    }

    /** True for names of the form "ensemble-K:MEMBER". */
    static boolean isEnsembleName(String name) {
        return name.startsWith(PREFIX) && name.contains(":");
    }

    /** Fresh, untrained members for a name of the form "ensemble-K:MEMBER" (to load weights into). */
    static Ensemble create(String name) {
        String[] parts = name.substring(PREFIX.length()).split(":", 2);
        int k = Integer.parseInt(parts[0]);
        if (k < 2 || k > 100) {
            throw new NumberFormatException("members " + k);
        }
        List<DigitNetwork> fresh = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            fresh.add(Architectures.create(parts[1]));
        }
        return new Ensemble(fresh);
    }

    @Override
    protected Tensor[] convolutionWeights() {
        return members.stream().flatMap(m -> java.util.Arrays.stream(m.convolutionWeights())).toArray(Tensor[]::new);
    }

    @Override
    public Tensor forward(Tensor x) {
        return logMeanProbability(x, members.size(), i -> members.get(i).forward(x));
    }
}

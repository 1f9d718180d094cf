package dev.lenetdigits.model;

import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * K trained networks as one network: its output is the log of the members' averaged softmax probabilities.
 * The members are submodules member0..member{K-1}, so the model file holds them all under those prefixes,
 * and everything that takes a {@link DigitNetwork} (evaluation, prediction, the inference API) takes an
 * ensemble as it is. Members may be of different architectures: networks that are wrong on different
 * digits are what averaging gains from.
 */
public final class Ensemble extends DigitNetwork {
    private static final String PREFIX = "ensemble-";
    /** The most members a model file may hold (a bound on what loading a file will build). */
    public static final int MAX_MEMBERS = 100;

    private final List<DigitNetwork> members;

    /** Groups trained networks into an ensemble. */
    public Ensemble(List<DigitNetwork> trained) {
        if (trained.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 members, not " + trained.size());
        }
        members = new ArrayList<>();
        for (int i = 0; i < trained.size(); i++) {
            members.add(register_module("member" + i, trained.get(i)));
        }
    }

    /**
     * The name model files record: "ensemble-K:MEMBER" when all K members are one architecture, e.g.
     * "ensemble-5:lenet-plus"; otherwise each run of members in order as NAME*COUNT, e.g.
     * "ensemble-8:lenet-plus*5,lenet-deep*3".
     */
    @Override
    public String architecture() {
        List<String> names = members.stream().map(DigitNetwork::architecture).toList();
        if (names.stream().distinct().count() == 1) {
            return PREFIX + size() + ":" + names.get(0);
        }
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= names.size(); i++) {
            if (i == names.size() || !names.get(i).equals(names.get(start))) {
                runs.add(names.get(start) + "*" + (i - start));
                start = i;
            }
        }
        return PREFIX + size() + ":" + String.join(",", runs);
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

    /** Fresh, untrained members for a name {@link #architecture()} wrote (to load weights into). */
    static Ensemble create(String name) {
        List<DigitNetwork> fresh = new ArrayList<>();
        memberArchitectures(name).forEach(member -> fresh.add(Architectures.create(member)));
        return new Ensemble(fresh);
    }

    /**
     * Each member's architecture, in order, from a name {@link #architecture()} wrote.
     *
     * @throws NumberFormatException if the name's counts are not numbers or do not add up
     */
    static List<String> memberArchitectures(String name) {
        String[] parts = name.substring(PREFIX.length()).split(":", 2);
        int k = Integer.parseInt(parts[0]);
        if (k < 2 || k > MAX_MEMBERS) {
            throw new NumberFormatException("members " + k);
        }
        if (!parts[1].contains("*")) {
            return Collections.nCopies(k, parts[1]);
        }
        List<String> architectures = new ArrayList<>();
        for (String run : parts[1].split(",", -1)) {
            int star = run.lastIndexOf('*');
            int count = star < 0 ? -1 : Integer.parseInt(run.substring(star + 1));
            if (count < 1 || architectures.size() + count > k) {
                throw new NumberFormatException(run);
            }
            architectures.addAll(Collections.nCopies(count, run.substring(0, star)));
        }
        if (architectures.size() != k) {
            throw new NumberFormatException(parts[1]);
        }
        return architectures;
    }

    @Override
    protected Tensor[] convolutionWeights() {
        return members.stream().flatMap(m -> Arrays.stream(m.convolutionWeights())).toArray(Tensor[]::new);
    }

    @Override
    public Tensor forward(Tensor x) {
        return logMeanProbability(x, members.size(), i -> members.get(i).forward(x));
    }
}

package dev.lenetdigits.model;

import dev.lenetdigits.UserException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * What an ensemble's model file records about its members' training, and {@code combine}, which joins model
 * files into one ensemble. In the training record a setting all members share stands once under its own
 * name; a setting they differ in stands as {@code members.NAME}, one value per member in order ("-" where a
 * member's file did not record it), so the record never claims the first member's settings for all of them.
 * {@code seed} is the first member's; a combined file also lists every member's as {@code member-seeds}.
 */
public final class EnsembleRecord {
    /** Prefix of a key whose value lists one setting per member: {@code members.architecture=lenet,lenet+deskew}. */
    public static final String PER_MEMBER = "members.";
    /** The key for the seeds of a combined ensemble's members, in order. */
    public static final String MEMBER_SEEDS = "member-seeds";
    private static final String SEED = "seed";

    private EnsembleRecord() {}

    /**
     * The training record of an ensemble whose members trained with {@code memberSettings} (each flag → value,
     * without the seed) and whose first member's seed was {@code seed}.
     */
    public static Map<String, String> of(List<Map<String, String>> memberSettings, String seed) {
        Set<String> keys = new LinkedHashSet<>();
        memberSettings.forEach(m -> keys.addAll(m.keySet()));
        Map<String, String> record = new LinkedHashMap<>();
        for (String key : keys) {
            List<String> values = memberSettings.stream().map(m -> m.getOrDefault(key, "-")).toList();
            if (values.stream().distinct().count() == 1) {
                record.put(key, values.get(0));
            } else {
                record.put(PER_MEMBER + key, String.join(",", values));
            }
        }
        record.put(SEED, seed);
        return record;
    }

    /**
     * Each of a file's {@code count} networks' settings, without seeds: its own where the record lists them per
     * member. {@code completeOlderRecord} gives a setting a file written before it was recorded the value it
     * had then, so that such members compare alike with newer ones.
     */
    public static List<Map<String, String>> settingsPerMember(Map<String, String> record, int count,
                                                              Consumer<Map<String, String>> completeOlderRecord) {
        List<Map<String, String>> settings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> one = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : record.entrySet()) {
                String key = e.getKey();
                if (key.startsWith(PER_MEMBER)) {
                    String[] values = e.getValue().split(",", -1);
                    one.put(key.substring(PER_MEMBER.length()), values.length == count ? values[i] : "?");
                } else if (!key.equals(SEED) && !key.equals(MEMBER_SEEDS)) {
                    one.putIfAbsent(key, e.getValue());
                }
            }
            completeOlderRecord.accept(one);
            settings.add(one);
        }
        return settings;
    }

    /** The seeds of a file's {@code count} networks: as combine listed them, else seed, seed+1, … as train uses. */
    public static List<String> seeds(Map<String, String> record, int count) {
        String listed = record.get(MEMBER_SEEDS);
        if (listed != null && listed.split(",").length == count) {
            return List.of(listed.split(","));
        }
        long first = Long.parseLong(record.getOrDefault(SEED, "1"));
        return LongStream.range(first, first + count).mapToObj(Long::toString).toList();
    }

    /**
     * The networks of {@code models} (single networks or ensembles) as one ensemble, with a record of what each
     * member trained with; see {@link #settingsPerMember} for {@code completeOlderRecord}.
     */
    public static ModelFile.Loaded combine(List<Path> models, Consumer<Map<String, String>> completeOlderRecord) {
        List<DigitNetwork> members = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        List<Map<String, String>> memberSettings = new ArrayList<>();
        ModelInfo first = null;
        for (Path model : models) {
            ModelFile.Loaded loaded = ModelFile.load(model);
            ModelInfo info = loaded.info();
            List<DigitNetwork> these = loaded.network() instanceof Ensemble e ? e.members() : List.of(loaded.network());
            if (first == null) {
                first = info;
            } else if (!info.normalization().equals(first.normalization()) || info.classes() != first.classes()) {
                throw new UserException(model + ": scales its input or counts its classes unlike " + models.get(0)
                        + "; such networks cannot be averaged");
            }
            members.addAll(these);
            seeds.addAll(seeds(info.training(), these.size()));
            memberSettings.addAll(settingsPerMember(info.training(), these.size(), completeOlderRecord));
        }
        if (members.size() < 2) {
            throw new UserException(models.get(0) + ": holds a single network; combine needs two or more");
        }
        if (members.size() > Ensemble.MAX_MEMBERS) {
            throw new UserException("these files hold " + members.size() + " networks together; an ensemble holds at most "
                    + Ensemble.MAX_MEMBERS);
        }
        Ensemble ensemble = new Ensemble(members);
        Map<String, String> training = of(memberSettings, first.training().getOrDefault(SEED, seeds.get(0)));
        training.put(MEMBER_SEEDS, String.join(",", seeds));
        ModelInfo info = new ModelInfo(ensemble.architecture(), first.normalization(), first.classes(), Double.NaN,
                training);
        return new ModelFile.Loaded(ensemble, info);
    }
}

package dev.lenetdigits.cli;

import dev.lenetdigits.AtomicFiles;
import dev.lenetdigits.UserException;
import dev.lenetdigits.model.DigitNetwork;
import dev.lenetdigits.model.Ensemble;
import dev.lenetdigits.model.ModelFile;
import dev.lenetdigits.model.ModelInfo;
import dev.lenetdigits.training.AugmentationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "combine", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Join model files (single networks or ensembles, e.g. trained on several machines with different "
                + "--seed or --recipe) into one ensemble file, whose predictions average all members' probabilities.")
final class CombineCommand implements Runnable {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ensemble model file to write.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "Model files written by train or combine.")
    List<Path> models;

    @Override
    public void run() {
        for (Path model : models) {
            AtomicFiles.refuseOverwrite(model, out);
        }
        ModelFile.Loaded combined = combine(models);
        ModelFile.save(out, combined.network(), combined.info());
        System.out.println(((Ensemble) combined.network()).size() + " members (" + combined.info().architecture()
                + ") written to " + out);
    }

    static ModelFile.Loaded combine(List<Path> models) {
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
            seeds.addAll(info.memberSeeds(these.size()));
            memberSettings.addAll(settingsPerMember(info.training(), these.size()));
        }
        if (members.size() < 2) {
            throw new UserException(models.get(0) + ": holds a single network; combine needs two or more");
        }
        if (members.size() > Ensemble.MAX_MEMBERS) {
            throw new UserException("these files hold " + members.size() + " networks together; an ensemble holds at most "
                    + Ensemble.MAX_MEMBERS);
        }
        Ensemble ensemble = new Ensemble(members);
        Map<String, String> training = trainingRecord(memberSettings);
        training.put("seed", first.training().getOrDefault("seed", seeds.get(0)));
        training.put(ModelInfo.MEMBER_SEEDS, String.join(",", seeds));
        ModelInfo info = new ModelInfo(ensemble.architecture(), first.normalization(), first.classes(), Double.NaN,
                training);
        return new ModelFile.Loaded(ensemble, info);
    }

    /** Each of a file's {@code count} networks' settings: its own where combine recorded them per member. */
    static List<Map<String, String>> settingsPerMember(Map<String, String> training, int count) {
        List<Map<String, String>> settings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> one = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : training.entrySet()) {
                String key = e.getKey();
                if (key.startsWith(ModelInfo.PER_MEMBER)) {
                    String[] values = e.getValue().split(",", -1);
                    one.put(key.substring(ModelInfo.PER_MEMBER.length()), values.length == count ? values[i] : "?");
                } else if (!key.equals("seed") && !key.equals(ModelInfo.MEMBER_SEEDS)) {
                    one.putIfAbsent(key, e.getValue());
                }
            }
            AugmentationOptions.fillAbsent(one);
            settings.add(one);
        }
        return settings;
    }

    /**
     * The combined file's training record: a setting all members share once, under its own name; a setting
     * they disagree on (say a member trained with label smoothing) as {@code members.NAME}, one value per
     * member in order ("-" where a member's file did not record it), so the record never claims the first
     * file's settings for every member.
     */
    static Map<String, String> trainingRecord(List<Map<String, String>> memberSettings) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        memberSettings.forEach(m -> keys.addAll(m.keySet()));
        Map<String, String> record = new LinkedHashMap<>();
        for (String key : keys) {
            List<String> values = memberSettings.stream().map(m -> m.getOrDefault(key, "-")).toList();
            if (values.stream().distinct().count() == 1) {
                record.put(key, values.get(0));
            } else {
                record.put(ModelInfo.PER_MEMBER + key, String.join(",", values));
            }
        }
        return record;
    }
}

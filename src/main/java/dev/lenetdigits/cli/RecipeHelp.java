package dev.lenetdigits.cli;

import dev.lenetdigits.training.Recipe;
import dev.lenetdigits.training.TrainingOptions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.function.Function;

/**
 * The recipes' defaults as the training flags' help shows them ({@code ${bundle:recipes.epochs}} in a
 * description: "lenet: 3, lenet-plus and lenet-deep: 15"), taken from {@link Recipe} itself so that the help
 * never disagrees with what a recipe does. A resource bundle only because that is how picocli fills in text.
 */
public final class RecipeHelp extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        Map<String, Function<TrainingOptions, Object>> settings = new LinkedHashMap<>();
        settings.put("epochs", TrainingOptions::epochs);
        settings.put("batch-size", TrainingOptions::batchSize);
        settings.put("lr", TrainingOptions::lr);
        settings.put("optimizer", TrainingOptions::optimizer);
        settings.put("momentum", TrainingOptions::momentum);
        settings.put("lr-decay", TrainingOptions::lrDecay);
        settings.put("schedule", TrainingOptions::schedule);
        settings.put("weight-decay", TrainingOptions::weightDecay);
        settings.put("augment", o -> o.augment() ? "on" : "off");
        settings.put("rotate", o -> o.augmentation().rotationDegrees());
        settings.put("zoom", o -> o.augmentation().zoom());
        settings.put("shift", o -> o.augmentation().shiftPixels());
        settings.put("elastic-alpha", o -> o.augmentation().elasticAlpha());
        settings.put("elastic-sigma", o -> o.augmentation().elasticSigma());
        settings.put("label-smoothing", TrainingOptions::labelSmoothing);
        settings.put("restore-best", o -> o.restoreBest() ? "on" : "off");
        settings.put("seed", TrainingOptions::seed);
        settings.put("val-split", TrainingOptions::valSplit);
        List<Object[]> contents = new ArrayList<>();
        settings.forEach((flag, setting) -> contents.add(new Object[] {"recipes." + flag, perRecipe(setting)}));
        return contents.toArray(Object[][]::new);
    }

    /** "default: X" when every recipe has X, else the recipes that share a value, value by value. */
    static String perRecipe(Function<TrainingOptions, Object> setting) {
        Map<String, List<String>> recipesByValue = new LinkedHashMap<>();
        for (Recipe recipe : Recipe.values()) {
            recipesByValue.computeIfAbsent(text(setting.apply(recipe.defaults())), v -> new ArrayList<>())
                    .add(recipe.toString());
        }
        if (recipesByValue.size() == 1) {
            return "default: " + recipesByValue.keySet().iterator().next();
        }
        List<String> parts = new ArrayList<>();
        recipesByValue.forEach((value, recipes) -> parts.add(String.join(" and ", recipes) + ": " + value));
        return String.join(", ", parts);
    }

    /** 0.0005 rather than 5.0E-4, 10 rather than 10.0. */
    private static String text(Object value) {
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }
}

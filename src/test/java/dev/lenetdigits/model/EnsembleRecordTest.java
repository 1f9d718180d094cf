package dev.lenetdigits.model;

import dev.lenetdigits.training.AugmentationOptions;
import dev.lenetdigits.training.Recipe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** An ensemble's training record, across files written before and after a setting was recorded. */
class EnsembleRecordTest {
    @Test
    void aFileFromBeforeTheAugmentationBoundsWereRecordedAgreesWithTheDefaults() {
        Map<String, String> current = Recipe.LENET_DEEP.defaults().asMap();
        Map<String, String> older = new HashMap<>(current);
        older.remove("rotate");
        older.remove("zoom");
        older.remove("shift");
        Map<String, String> moved = new HashMap<>(current);
        moved.put("rotate", "15.0");

        List<Map<String, String>> members = new ArrayList<>();
        members.addAll(EnsembleRecord.settingsPerMember(older, 1, AugmentationOptions::fillAbsent));
        members.addAll(EnsembleRecord.settingsPerMember(current, 1, AugmentationOptions::fillAbsent));
        Map<String, String> record = EnsembleRecord.of(members, "1");
        assertEquals("10.0", record.get("rotate"), record.toString());
        assertFalse(record.containsKey("members.zoom"), record.toString());

        members.addAll(EnsembleRecord.settingsPerMember(moved, 1, AugmentationOptions::fillAbsent));
        record = EnsembleRecord.of(members, "1");
        assertEquals("10.0,10.0,15.0", record.get("members.rotate"), record.toString());
        assertEquals("2.0", record.get("shift"), record.toString());
    }

    @Test
    void seedsAreListedOrFollowTheFirst() {
        assertEquals(List.of("4", "5", "6"), EnsembleRecord.seeds(Map.of("seed", "4"), 3));
        assertEquals(List.of("1", "9"), EnsembleRecord.seeds(Map.of("seed", "1", "member-seeds", "1,9"), 2));
    }
}

package dev.lenetdigits.cli;

import dev.lenetdigits.training.Recipe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** combine's training record across files written before and after a setting was recorded. */
class CombineRecordTest {
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
        members.addAll(CombineCommand.settingsPerMember(older, 1));
        members.addAll(CombineCommand.settingsPerMember(current, 1));
        Map<String, String> record = CombineCommand.trainingRecord(members);
        assertEquals("10.0", record.get("rotate"), record.toString());
        assertFalse(record.containsKey("members.zoom"), record.toString());

        members.addAll(CombineCommand.settingsPerMember(moved, 1));
        record = CombineCommand.trainingRecord(members);
        assertEquals("10.0,10.0,15.0", record.get("members.rotate"), record.toString());
        assertEquals("2.0", record.get("shift"), record.toString());
    }
}

package dev.lenetdigits.device;

import dev.lenetdigits.TrainedModels;
import dev.lenetdigits.UserException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeviceSettingsTest {
    @Test
    void threadsOutOfRangeNameTheFlag() {
        assertEquals("--threads: '-1' is not an integer 0-1024", assertThrows(UserException.class,
                () -> new DeviceSettings(DeviceRequest.CPU, -1, Precision.FP32)).getMessage());
    }

    /** An ensemble member's process opens the device its parent opened, from flags. */
    @Test
    void aDeviceOpensAgainFromItsFlags() {
        ComputeDevice bf16 = TrainedModels.cpu().withPrecision(Precision.BF16);
        List<String> flags = DeviceSettings.flagsFor(bf16, 3);
        assertEquals(List.of("--device", "cpu", "--threads", "3", "--precision", "bf16"), flags);
        Map<String, String> parsed = new HashMap<>();
        for (int i = 0; i < flags.size(); i += 2) {
            parsed.put(flags.get(i), flags.get(i + 1));
        }
        assertEquals(new DeviceSettings(DeviceRequest.CPU, 3, Precision.BF16), DeviceSettings.fromFlags(parsed));
    }
}

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the two request bodies scripts/bench-serve.sh sends: one real digit (the first row of the Kaggle
 * test fixture) as {"pixels": [784]} JSON, and the same digit as a 280x280 PNG, black ink on white, the
 * size the page's canvas sends. Usage: java scripts/BenchBodies.java OUT_DIR
 */
public class BenchBodies {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/kaggle/test-100.csv"));
        String[] cells = lines.get(1).split(",");
        int[] pixels = new int[784];
        for (int i = 0; i < 784; i++) {
            pixels[i] = Integer.parseInt(cells[i].trim());
        }
        StringBuilder json = new StringBuilder("{\"pixels\":[");
        for (int i = 0; i < 784; i++) {
            json.append(i == 0 ? "" : ",").append(pixels[i]);
        }
        Files.writeString(out.resolve("digit.json"), json.append("]}").toString());
        BufferedImage image = new BufferedImage(280, 280, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 280; y++) {
            for (int x = 0; x < 280; x++) {
                int grey = 255 - pixels[(y / 10) * 28 + x / 10];
                image.setRGB(x, y, grey * 0x010101);
            }
        }
        ImageIO.write(image, "png", out.resolve("digit.png").toFile());
    }
}

package dev.lenetdigits.serve;

import dev.lenetdigits.inference.TestDigits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The draw-a-digit page in a real browser: headless Chromium from Debian's {@code chromium} package, driven
 * through {@code chromium-driver} by Selenium (given both paths, so nothing is downloaded). A 7 drawn with
 * pointer events must read "7"; a picked PNG must read its digit. {@code .ci/run} installs both packages.
 */
class DrawPageBrowserTest {
    static final String CHROMIUM = System.getProperty("chromium", "/usr/bin/chromium");
    static final String DRIVER = System.getProperty("chromedriver", "/usr/bin/chromedriver");

    private static DigitServer server;
    private static ChromeDriver browser;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        for (String program : new String[] {CHROMIUM, DRIVER}) {
            assertTrue(Files.isExecutable(Path.of(program)), program + " is missing: this test needs Debian's chromium "
                    + "and chromium-driver (apt-get install chromium chromium-driver; .ci/run does it)");
        }
        server = DigitServer.start(ServeOptions.defaults(TestDigits.model()).withPort(0));
        server.awaitReady();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")), "--window-size=760,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static String digit() {
        return browser.findElement(By.id("digit")).getText();
    }

    /** Waits until the page has answered everything it asked and {@code condition} holds. */
    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Object state = browser.executeScript("return document.body.dataset.state");
            if ("idle".equals(state) && condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + "; the page shows digit '" + digit() + "', status '"
                + browser.findElement(By.id("status")).getText() + "'");
    }

    /** Draws one stroke through {@code points} (x, y in the 280×280 pad) with a pointer of the given kind. */
    private static void stroke(PointerInput.Kind kind, int[][] points) {
        WebElement pad = browser.findElement(By.id("pad"));
        PointerInput pointer = new PointerInput(kind, kind.name().toLowerCase() + "-pointer");
        Sequence s = new Sequence(pointer, 0);
        // offsets are from the element's centre
        s.addAction(pointer.createPointerMove(Duration.ZERO, PointerInput.Origin.fromElement(pad),
                points[0][0] - 140, points[0][1] - 140));
        s.addAction(pointer.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
        for (int i = 1; i < points.length; i++) {
            int[] a = points[i - 1];
            int[] b = points[i];
            int steps = Math.max(1, (int) (Math.hypot(b[0] - a[0], b[1] - a[1]) / 8));
            for (int k = 1; k <= steps; k++) {
                int x = a[0] + (b[0] - a[0]) * k / steps;
                int y = a[1] + (b[1] - a[1]) * k / steps;
                s.addAction(pointer.createPointerMove(Duration.ofMillis(8), PointerInput.Origin.fromElement(pad), x - 140, y - 140));
            }
        }
        s.addAction(pointer.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        browser.perform(List.of(s));
    }

    @Test
    void aSevenDrawnWithTheMouseReadsSevenAndTheNetworksViewIsShown() throws Exception {
        browser.get(server.uri().toString());
        await("the page is ready", () -> digit().equals("?"));
        stroke(PointerInput.Kind.MOUSE, new int[][] {{75, 70}, {205, 70}, {185, 110}, {150, 170}, {125, 235}});
        await("a drawn 7 reads 7", () -> digit().equals("7"));
        assertTrue(browser.findElement(By.id("status")).getText().contains("reads a 7"));
        // the bar of 7 is the longest, and the 28×28 image the network saw is on the page
        WebElement top = browser.findElement(By.cssSelector("#bars li.top"));
        assertEquals("7", top.getDomAttribute("data-digit"));
        int bar = top.findElement(By.cssSelector(".bar")).getRect().getWidth();
        int track = top.findElement(By.cssSelector(".track")).getRect().getWidth();
        assertTrue(bar > track / 2, "the bar of 7 is drawn: " + bar + " of " + track + " px");
        assertTrue(!browser.findElement(By.id("keybox")).isDisplayed(), "no key asked for: the server has none");
        Number ink = (Number) ((JavascriptExecutor) browser).executeScript(
                "const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data;"
                        + "let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i]; return s;");
        assertTrue(ink.longValue() > 255 * 40, "the network's 28×28 view shows ink: " + ink);
        Files.write(Path.of("target", "serve-page.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aOneDrawnWithAFingerReadsOne() throws Exception {
        browser.get(server.uri().toString());
        await("the page is ready", () -> digit().equals("?"));
        stroke(PointerInput.Kind.TOUCH, new int[][] {{145, 45}, {140, 140}, {136, 240}});
        await("a 1 drawn by touch reads 1", () -> digit().equals("1"));
        browser.findElement(By.id("clear")).click();
        await("cleared", () -> digit().equals("?"));
    }

    @Test
    void aPickedPngReadsItsDigit() throws Exception {
        List<TestDigits.Digit> digits = TestDigits.labeled(10);
        List<String> tried = new ArrayList<>();
        browser.get(server.uri().toString());
        await("the page is ready", () -> digit().equals("?"));
        for (int i : new int[] {3, 5}) {
            TestDigits.Digit d = digits.get(i);
            Path png = TestDigits.write(TestDigits.darkOnLight(d.pixels()), "png", dir.resolve("digit-" + i + ".png"));
            browser.findElement(By.id("photo")).sendKeys(png.toString());
            String label = Integer.toString(d.label());
            await("a picked PNG of a " + label + " reads " + label, () -> digit().equals(label));
            tried.add(label);
        }
        assertEquals(2, tried.size());
    }
}

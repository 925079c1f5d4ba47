package dev.augsweep.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian ({@code chromium}, {@code chromium-driver}; ./test installs them) driven by Selenium,
 * with chromedriver's path given so that Selenium Manager never fetches one, and a fresh profile. Every page it opens
 * records, from before its own scripts run, uncaught errors, console errors, CSP violations and alert(), confirm()
 * and prompt() calls (which do nothing then): {@link #problems()}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where the tests leave their screenshots. */
    static final Path SHOTS = Path.of("target", "ui-screenshots");
    private static final String HOOKS = """
            (() => {
              window.__errors = []; window.__alerts = []; window.__csp = [];
              const push = (kind, a) => window.__errors.push(kind + ': ' + Array.from(a).map(x => {
                try { return x && x.stack ? String(x.stack).split('\\n')[0] : (typeof x === 'string' ? x : JSON.stringify(x)); }
                catch (e) { return String(x); } }).join(' '));
              const ce = console.error.bind(console);
              console.error = function () { push('console.error', arguments); return ce.apply(null, arguments); };
              window.addEventListener('error', e => {
                if (e.target && e.target !== window) push('resource', [String(e.target.src || e.target.href || e.target.tagName)]);
                else push('error', [e.message + ' @' + e.filename + ':' + e.lineno]);
              }, true);
              window.addEventListener('unhandledrejection', e => push('unhandledrejection', [e.reason && (e.reason.stack || e.reason.message) || String(e.reason)]));
              document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
              for (const f of ['alert', 'confirm', 'prompt']) window[f] = m => { window.__alerts.push(f + ':' + String(m)); };
            })();
            """;

    private final ChromeDriver driver;
    private final ChromeDriverService service;

    /** Skips the test where Chromium is not installed, except on CI (CI=true), where that is a failure. */
    static void assumeInstalled() {
        boolean there = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!there && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian: "
                    + "chromium chromium-driver fonts-dejavu-core; ./test installs them)");
        }
        assumeTrue(there, "no " + CHROMIUM + " or " + CHROMEDRIVER + ": run ./test, which installs them");
    }

    Browser(Path profile, int width, int height) {
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE); // "no CDP implementation matching 156"
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile.toAbsolutePath());
        driver = new ChromeDriver(service, o);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", HOOKS));
    }

    void get(String url) {
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    long number(String script, Object... args) {
        return ((Number) js(script, args)).longValue();
    }

    /** Waits until {@code script} returns something truthy, and returns it. */
    Object waitFor(String script, Duration timeout, Object... args) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).withMessage(() -> "waiting for: " + script)
                .until(d -> {
                    Object v = js(script, args);
                    return v == null || Boolean.FALSE.equals(v) ? null : v;
                });
    }

    /**
     * Waits until the page says {@code route} is ready (app.js sets body data-ready once its data is shown and its
     * first chart drawn) and returns its timings: readyAt (ms since the document was opened), readyMs (the route's
     * own), error (the page's error text, or null).
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> waitReady(String route) {
        return (Map<String, Object>) waitFor("return document.body.dataset.ready === arguments[0] ? "
                + "{at: +document.body.dataset.readyAt, ms: +document.body.dataset.readyMs, "
                + "error: document.body.dataset.error || null} : null", Duration.ofSeconds(60), route);
    }

    /** What went wrong in the page so far: errors, CSP violations, alerts (each list empty when nothing did). */
    @SuppressWarnings("unchecked")
    Map<String, List<String>> problems() {
        return (Map<String, List<String>>) js("return {errors: window.__errors || [], csp: window.__csp || [], "
                + "alerts: window.__alerts || []}");
    }

    boolean clean() {
        return problems().values().stream().allMatch(List::isEmpty);
    }

    /** A PNG of the page (the whole page, up to 6000 px high, or the window) under target/ui-screenshots/. */
    @SuppressWarnings("unchecked")
    Path screenshot(String name, boolean wholePage) {
        try {
            Files.createDirectories(SHOTS);
            Path file = SHOTS.resolve(name);
            byte[] png;
            if (wholePage) {
                long h = number("return Math.ceil(Math.max(document.documentElement.scrollHeight, "
                        + "document.body.scrollHeight))");
                long w = number("return document.documentElement.clientWidth");
                Map<String, Object> r = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                        "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", w, "height",
                                Math.min(h, 6000), "scale", 1)));
                png = Base64.getDecoder().decode((String) r.get("data"));
            } else {
                File f = driver.getScreenshotAs(OutputType.FILE);
                png = Files.readAllBytes(f.toPath());
                Files.deleteIfExists(f.toPath());
            }
            Files.write(file, png);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}

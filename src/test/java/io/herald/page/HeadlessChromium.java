package io.herald.page;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

import io.herald.support.RequiredBinary;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, driven headless through Debian's chromedriver: nothing is
 * downloaded, and a missing browser skips the test locally and fails it in CI.
 */
final class HeadlessChromium {

	private HeadlessChromium() {
	}

	/**
	 * A fresh browser with its own profile in {@code profile}, accepting Herald's
	 * self-signed certificate.
	 */
	static ChromeDriver start(Path profile) {
		return start(profile, new ChromeOptions());
	}

	/**
	 * A fresh browser as {@link #start(Path)} does, that also logs what it sends and
	 * receives, for {@link ChromiumNetworkLog} to read.
	 */
	static ChromeDriver startLoggingNetwork(Path profile) {
		ChromeOptions options = new ChromeOptions();
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.PERFORMANCE, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
		return start(profile, options);
	}

	private static ChromeDriver start(Path profile, ChromeOptions options) {
		Path chromium = RequiredBinary.find("chromium", "chromium");
		Path chromedriver = RequiredBinary.find("chromedriver", "chromium-driver");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--ignore-certificate-errors", "--window-size=1200,1000",
				"--user-data-dir=" + profile.toAbsolutePath());
		return new ChromeDriver(service, options);
	}

	/**
	 * Runs browser steps; when they fail, keeps a screenshot of the page under
	 * {@code target/screenshots} and names it in the failure.
	 */
	static void screenshotOnFailure(ChromeDriver browser, String name, Runnable steps) {
		try {
			steps.run();
		}
		catch (AssertionError | RuntimeException ex) {
			Path screenshot = Path.of("target", "screenshots", name + ".png");
			try {
				Files.createDirectories(screenshot.getParent());
				Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
				ex.addSuppressed(new AssertionError("Screenshot of the page: " + screenshot.toAbsolutePath()));
			}
			catch (IOException | RuntimeException screenshotFailure) {
				ex.addSuppressed(screenshotFailure);
			}
			throw ex;
		}
	}

}

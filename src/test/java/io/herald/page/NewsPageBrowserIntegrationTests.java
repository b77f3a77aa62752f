package io.herald.page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.herald.relay.RelayListener;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The test page in a real headless Chromium, against a real Herald, relay and broker.
 */
@HeraldIntegrationTest
class NewsPageBrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String XSS = "<img src=x onerror=alert(1)>";

	@LocalServerPort
	private int port;

	@Autowired
	private RelayListener listener;

	private ChromeDriver browser;

	private RestClient http;

	private String testName;

	@BeforeEach
	void startBrowser(@TempDir Path profile, TestInfo test) {
		this.browser = HeadlessChromium.start(profile);
		this.http = TestHttp.client(this.port, TestTokens.admin());
		this.testName = test.getTestMethod().map((method) -> method.getName()).orElse("browser");
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void showsMatchingNewsLiveAsTextAndNotOtherNews() {
		inBrowser(() -> {
			openConnectedPage();
			// Keyboard only: from the filter field to QoS to the Subscribe button.
			WebElement filter = this.browser.findElement(By.id("subscribe-filter"));
			filter.clear();
			filter.sendKeys("/news/+/sport");
			filter.sendKeys(Keys.TAB);
			this.browser.switchTo().activeElement().sendKeys(Keys.TAB);
			assertThat(this.browser.switchTo().activeElement().getAttribute("id")).isEqualTo("subscribe-button");
			this.browser.switchTo().activeElement().sendKeys(Keys.ENTER);
			waitForText("subscribe-result", "Subscribed to /news/+/sport");

			publish("/news/europe/sport", XSS);
			publish("/news/usa/tennis", "Ace");
			// Published last: once it shows, the tennis news had every chance to show
			// too.
			publish("/news/asia/sport", "marker");
			new WebDriverWait(this.browser, WAIT).until((driver) -> liveTopics().contains("/news/asia/sport"));

			assertThat(liveTopics()).containsExactly("/news/asia/sport", "/news/europe/sport");
			WebElement xss = this.browser
				.findElement(By.cssSelector("#messages li[data-source=live][data-topic='/news/europe/sport'] pre"));
			assertThat(xss.getText()).isEqualTo(XSS);
			assertThat(this.browser.findElements(By.cssSelector("#messages img"))).isEmpty();
			assertThatExceptionOfType(NoAlertPresentException.class).isThrownBy(() -> this.browser.switchTo().alert());
		});
	}

	@Test
	void unsubscribingStopsTheNews() {
		inBrowser(() -> {
			openConnectedPage();
			subscribe("/news/+/weather");
			subscribe("/news/#");
			this.browser.findElement(By.cssSelector("#subscriptions li[data-filter='/news/#'] button")).click();
			waitForText("subscribe-result", "Unsubscribed from /news/#");

			publish("/news/europe/politics", "not subscribed");
			publish("/news/europe/weather", "rain");
			new WebDriverWait(this.browser, WAIT).until((driver) -> liveTopics().contains("/news/europe/weather"));

			assertThat(liveTopics()).containsExactly("/news/europe/weather");
		});
	}

	@Test
	void fillsFromHistoryOnLoad() {
		inBrowser(() -> {
			publish("/news/history/sport", "before the page opened");
			new WebDriverWait(this.browser, WAIT).until((driver) -> historyHas("/news/history/sport"));

			openConnectedPage();

			List<WebElement> history = this.browser
				.findElements(By.cssSelector("#messages li[data-source=history][data-topic='/news/history/sport']"));
			assertThat(history).isNotEmpty();
			assertThat(history.get(0).findElement(By.tagName("pre")).getText()).isEqualTo("before the page opened");
		});
	}

	@Test
	void publishFormShowsAnswerAndProblemDetail() {
		inBrowser(() -> {
			openConnectedPage();
			this.browser.findElement(By.id("token")).sendKeys(TestTokens.publishing("/news/#"));
			WebElement topic = this.browser.findElement(By.id("publish-topic"));
			topic.clear();
			topic.sendKeys("/news/form/sport");
			this.browser.findElement(By.id("publish-payload")).sendKeys("from the form");
			this.browser.findElement(By.id("publish-button")).click();
			waitForText("publish-result", "Published to /news/form/sport");

			topic.clear();
			topic.sendKeys("/news/#");
			this.browser.findElement(By.id("publish-button")).click();
			waitForText("publish-result", "topic must not contain the wildcards");
			assertThat(this.browser.findElement(By.id("publish-result")).getAttribute("data-outcome"))
				.isEqualTo("problem");
		});
	}

	@Test
	void showsDesktopNotificationWhileTabIsHidden() {
		inBrowser(() -> {
			this.browser.get(pageUrl());
			// The browser's own notifications cannot be observed from a test: record them
			// instead.
			this.browser.executeScript(
					"""
							window.shown = [];
							window.Notification = class {
							  static permission = 'default';
							  static requestPermission() { window.Notification.permission = 'granted'; return Promise.resolve('granted'); }
							  constructor(title, options) { window.shown.push({ title, body: options.body }); }
							};
							Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.hiddenTab === true });
							""");
			waitForState("connected");
			this.browser.findElement(By.id("notifications")).sendKeys(Keys.SPACE);
			waitForText("notifications-result", "Notifications on");
			subscribe("/news/+/alerts");

			this.browser.executeScript("window.hiddenTab = false;");
			publish("/news/visible/alerts", "seen in the tab");
			new WebDriverWait(this.browser, WAIT).until((driver) -> liveTopics().contains("/news/visible/alerts"));
			this.browser.executeScript("window.hiddenTab = true;");
			publish("/news/hidden/alerts", "flood warning");
			new WebDriverWait(this.browser, WAIT).until((driver) -> liveTopics().contains("/news/hidden/alerts"));

			@SuppressWarnings("unchecked")
			List<Map<String, String>> shown = (List<Map<String, String>>) this.browser
				.executeScript("return window.shown;");
			assertThat(shown).containsExactly(Map.of("title", "/news/hidden/alerts", "body", "flood warning"));
		});
	}

	@Test
	void connectsThroughTheRelayListener() {
		inBrowser(() -> {
			openConnectedPage();
			assertThat(this.browser.findElement(By.id("connection-detail")).getText())
				.contains("wss://localhost:" + this.listener.port() + "/mqtt");
		});
	}

	@Test
	void loadsEverythingFromHerald() {
		inBrowser(() -> {
			openConnectedPage();
			@SuppressWarnings("unchecked")
			List<String> resources = (List<String>) this.browser
				.executeScript("return performance.getEntriesByType('resource').map((entry) => entry.name);");
			assertThat(resources).isNotEmpty()
				.allSatisfy((url) -> assertThat(url).startsWith("https://localhost:" + this.port + "/"));
			assertThat(resources)
				.anySatisfy((url) -> assertThat(url).endsWith("/webjars/paho-mqtt/1.1.0/paho-mqtt.js"));
		});
	}

	@Test
	void fitsAPhoneWidthScreen() {
		inBrowser(() -> {
			this.browser.manage().window().setSize(new Dimension(360, 740));
			openConnectedPage();
			Long overflow = (Long) this.browser
				.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
			assertThat(overflow).isLessThanOrEqualTo(0L);
		});
	}

	private String pageUrl() {
		return "https://localhost:" + this.port + "/";
	}

	private void openConnectedPage() {
		this.browser.get(pageUrl());
		waitForState("connected");
	}

	private void waitForState(String state) {
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.textToBe(By.id("connection-state"), state));
	}

	private void waitForText(String id, String text) {
		new WebDriverWait(this.browser, WAIT)
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
	}

	private void subscribe(String filter) {
		WebElement input = this.browser.findElement(By.id("subscribe-filter"));
		input.clear();
		input.sendKeys(filter);
		this.browser.findElement(By.id("subscribe-button")).click();
		waitForText("subscribe-result", "Subscribed to " + filter);
	}

	private List<String> liveTopics() {
		// Retained messages left by other tests on the shared broker are not this test's
		// news.
		return this.browser.findElements(By.cssSelector("#messages li[data-source=live][data-retained=false]"))
			.stream()
			.map((entry) -> entry.getAttribute("data-topic"))
			.toList();
	}

	private boolean historyHas(String topic) {
		String body = this.http.get()
			.uri((uri) -> uri.path("/api/news").queryParam("filter", "{filter}").build(topic))
			.retrieve()
			.body(String.class);
		return body != null && body.contains(topic);
	}

	private void publish(String topic, String payload) {
		HttpStatus status = HttpStatus.valueOf(this.http.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value());
		assertThat(status).as("publishing to %s", topic).isEqualTo(HttpStatus.ACCEPTED);
	}

	private void inBrowser(Runnable steps) {
		HeadlessChromium.screenshotOnFailure(this.browser, getClass().getSimpleName() + "-" + this.testName, steps);
	}

}

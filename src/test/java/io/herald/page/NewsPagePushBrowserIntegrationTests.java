package io.herald.page;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.devtools.Command;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.Event;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test page's Web Push side in a real headless Chromium, against a real Herald: its
 * service worker at the site's root, the notifications it shows for push messages, and
 * the plain words the page has when notifications for a closed page cannot work.
 *
 * <p>
 * The headless browser has no way to its push service (Google's, on the internet), so its
 * {@code pushManager.subscribe} fails: that failure is what the page must explain. Push
 * messages are handed to the worker by Chromium's DevTools, as a push service would.
 */
@HeraldIntegrationTest
class NewsPagePushBrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(40);

	private static final String UNREACHABLE = "This browser cannot reach its push service, so notifications for a"
			+ " closed page are not available here.";

	@LocalServerPort
	private int port;

	private ChromeDriver browser;

	private ChromiumNetworkLog network;

	private String testName;

	@BeforeEach
	void startBrowser(@TempDir Path profile, TestInfo test) {
		this.browser = HeadlessChromium.startLoggingNetwork(profile);
		this.network = new ChromiumNetworkLog(this.browser);
		this.testName = test.getTestMethod().map((method) -> method.getName()).orElse("browser");
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void servesItsWorkerPubliclyAsJavaScriptAtTheRoot() {
		ResponseEntity<String> worker = TestHttp.get(pageUrl() + "push-worker.js");
		assertThat(worker.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(worker.getHeaders().getContentType()).hasToString("text/javascript;charset=UTF-8");
		assertThat(worker.getHeaders().getFirst(HttpHeaders.CACHE_CONTROL)).isEqualTo("no-cache");
		assertThat(worker.getBody()).contains("addEventListener('push'");
	}

	@Test
	void registersTheWorkerForTheWholePage() {
		inBrowser(() -> {
			openPage();
			Map<String, Object> registration = workerRegistration();
			assertThat(registration).containsEntry("scope", pageUrl())
				.containsEntry("script", pageUrl() + "push-worker.js");
		});
	}

	@Test
	void saysPlainlyThatThePushServiceCannotBeReached() {
		inBrowser(() -> {
			allowNotifications("granted");
			openPage();
			workerRegistration();
			String token = TestTokens.admin();
			this.browser.findElement(By.id("token")).sendKeys(token);

			this.browser.findElement(By.id("push-start")).click();

			// The page gives its push service 15 s to answer.
			new WebDriverWait(this.browser, WAIT.plusSeconds(15))
				.until(ExpectedConditions.textToBePresentInElementLocated(By.id("push-result"), UNREACHABLE));
			assertThat(this.browser.findElement(By.id("push-result")).getDomAttribute("data-outcome"))
				.isEqualTo("problem");
			assertThat(this.network.requestHeader("GET", pageUrl() + "api/push/key", "Authorization"))
				.containsExactly(Optional.of("Bearer " + token));
			assertThat(this.network.requestHeader("POST", pageUrl() + "api/push/subscriptions", "Authorization"))
				.as("nothing to register without a push subscription")
				.isEmpty();
			assertThat(this.browser.findElement(By.id("push-stop")).isDisplayed()).isFalse();
			assertThat(this.browser.executeScript("return localStorage.getItem('herald.push');")).isNull();
		});
	}

	@Test
	void saysPlainlyThatNotificationsAreNotAllowed() {
		inBrowser(() -> {
			allowNotifications("denied");
			openPage();
			workerRegistration();

			this.browser.findElement(By.id("push-start")).click();

			waitForText("push-result", "Notifications are not allowed for this page (denied)");
			assertThat(this.network.requestHeader("GET", pageUrl() + "api/push/key", "Authorization"))
				.as("no key is fetched without permission")
				.isEmpty();
		});
	}

	@Test
	void showsEachPushAsANotificationTitledWithItsTopic() {
		inBrowser(() -> {
			allowNotifications("granted");
			openPage();
			workerRegistration();
			DevTools devTools = this.browser.getDevTools();
			devTools.createSession();
			String registrationId = rootRegistrationId(devTools);

			deliverUntilShown(devTools, registrationId,
					"{\"topic\": \"/news/europe/sport\", \"payload\": \"<b>Goal!</b>\", \"truncated\": false}",
					(shown) -> shown.size() == 1);
			assertThat(notifications()).containsExactly(
					Map.of("title", "/news/europe/sport", "body", "<b>Goal!</b>", "tag", "/news/europe/sport"));

			deliverUntilShown(devTools, registrationId,
					"{\"topic\": \"/news/europe/sport\", \"payload\": \"Second goal\", \"truncated\": true}",
					(shown) -> shown.stream()
						.anyMatch((notification) -> notification.get("body").startsWith("Second")));
			assertThat(notifications()).as("the same topic's notification is replaced, not repeated")
				.containsExactly(Map.of("title", "/news/europe/sport", "body", "Second goal… (truncated)", "tag",
						"/news/europe/sport"));

			deliverUntilShown(devTools, registrationId,
					"{\"topic\": \"/news/asia/sport\", \"payload\": \"Other news\", \"truncated\": false}",
					(shown) -> shown.size() == 2);
			assertThat(notifications()).extracting((shown) -> shown.get("title"))
				.containsExactlyInAnyOrder("/news/europe/sport", "/news/asia/sport");
		});
	}

	private void allowNotifications(String setting) {
		this.browser.executeCdpCommand("Browser.setPermission", Map.of("permission", Map.of("name", "notifications"),
				"setting", setting, "origin", "https://localhost:" + this.port));
	}

	/** The page's worker registration once it is active: its scope and script. */
	@SuppressWarnings("unchecked")
	private Map<String, Object> workerRegistration() {
		this.browser.manage().timeouts().scriptTimeout(WAIT);
		return (Map<String, Object>) this.browser.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				navigator.serviceWorker.ready
				  .then((registration) => done({ scope: registration.scope, script: registration.active.scriptURL }))
				  .catch((error) => done({ error: String(error) }));
				""");
	}

	/** Chromium's id of the worker registration whose scope is the page. */
	private String rootRegistrationId(DevTools devTools) {
		CompletableFuture<String> id = new CompletableFuture<>();
		devTools.addListener(new Event<>("ServiceWorker.workerRegistrationUpdated",
				(input) -> input.<Map<String, Object>>read(Json.MAP_TYPE)), (params) -> {
					for (Object each : (List<?>) params.get("registrations")) {
						Map<?, ?> registration = (Map<?, ?>) each;
						if (pageUrl().equals(registration.get("scopeURL"))
								&& !Boolean.TRUE.equals(registration.get("isDeleted"))) {
							id.complete((String) registration.get("registrationId"));
						}
					}
				});
		devTools.send(new Command<>("ServiceWorker.enable", Map.of()));
		return id.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
	}

	/**
	 * Hands {@code data} to the worker as a push message, as often as needed until the
	 * notifications shown satisfy {@code shown}: DevTools occasionally drops a delivery
	 * on a loaded machine, and a repeated message on one topic replaces its notification.
	 */
	private void deliverUntilShown(DevTools devTools, String registrationId, String data,
			Predicate<List<Map<String, String>>> shown) {
		Command<Void> push = new Command<>("ServiceWorker.deliverPushMessage",
				Map.of("origin", "https://localhost:" + this.port, "registrationId", registrationId, "data", data));
		new WebDriverWait(this.browser, WAIT).ignoring(TimeoutException.class)
			.withMessage(() -> "after delivering " + data + ", shown " + notifications())
			.until((driver) -> {
				devTools.send(push);
				return new WebDriverWait(this.browser, Duration.ofSeconds(5))
					.until((again) -> shown.test(notifications()));
			});
	}

	/** The notifications the page's worker shows, as the page sees them. */
	@SuppressWarnings("unchecked")
	private List<Map<String, String>> notifications() {
		return (List<Map<String, String>>) this.browser.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				navigator.serviceWorker.ready
				  .then((registration) => registration.getNotifications())
				  .then((shown) => done(shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag }))));
				""");
	}

	private String pageUrl() {
		return "https://localhost:" + this.port + "/";
	}

	private void openPage() {
		this.browser.get(pageUrl());
		new WebDriverWait(this.browser, WAIT)
			.until(ExpectedConditions.textToBe(By.id("connection-state"), "connected"));
	}

	private void waitForText(String id, String text) {
		new WebDriverWait(this.browser, WAIT)
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
	}

	private void inBrowser(Runnable steps) {
		HeadlessChromium.screenshotOnFailure(this.browser, getClass().getSimpleName() + "-" + this.testName, steps);
	}

}

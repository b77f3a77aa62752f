package io.herald.security;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Logs, once the web server is up, an admin token minted with Herald's own secret and the
 * page URL to use it on: the quick start needs nothing else to publish or to read the
 * actuator.
 */
class AdminTokenLog implements ApplicationListener<WebServerInitializedEvent> {

	/** The subject of the logged token. */
	static final String SUBJECT = "admin";

	/** Rights to every topic, the admin's. */
	static final Map<String, List<String>> ACL = Map.of("all", List.of("#"));

	private static final Logger logger = LoggerFactory.getLogger(AdminTokenLog.class);

	private final SigningSecret secret;

	private final Duration validity;

	private final @Nullable Ssl ssl;

	private final AtomicBoolean logged = new AtomicBoolean();

	AdminTokenLog(SigningSecret secret, Duration validity, @Nullable Ssl ssl) {
		this.secret = secret;
		this.validity = validity;
		this.ssl = ssl;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		// The main web server only (not a separate management server), and once per
		// start.
		if (this.secret.value() == null || event.getApplicationContext().getServerNamespace() != null
				|| !this.logged.compareAndSet(false, true)) {
			return;
		}
		String token = new TokenMinter(this.secret.value()).mint(SUBJECT, ACL, this.validity);
		String url = (Ssl.isEnabled(this.ssl) ? "https" : "http") + "://localhost:" + event.getWebServer().getPort()
				+ "/";
		// The one place a token is logged, on purpose: it is what the quick start runs
		// on.
		logger.info("Admin token (rights #, valid {}) for {} : {}", print(this.validity), url, token);
	}

	static String print(Duration duration) {
		for (ChronoUnit unit : List.of(ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS)) {
			if (duration.toMillis() % unit.getDuration().toMillis() == 0) {
				return DurationStyle.SIMPLE.print(duration, unit);
			}
		}
		return DurationStyle.SIMPLE.print(duration, ChronoUnit.MILLIS);
	}

}

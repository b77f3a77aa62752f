package io.herald.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
class AdminTokenLogTests {

	private static final String SECRET = "admin-token-log-tests-secret-0123456789";

	private static final Pattern LINE = Pattern
		.compile("Admin token \\(rights #, valid 24h\\) for https://localhost:8443/ : (\\S+)");

	@Test
	void logsAnAdminTokenForThePageOnceWhenHeraldKnowsTheSecret(CapturedOutput output) {
		AdminTokenLog log = new AdminTokenLog(new SigningSecret(SECRET, true), Duration.ofHours(24), ssl(true));

		log.onApplicationEvent(started(8443));
		log.onApplicationEvent(started(8443));

		Matcher line = LINE.matcher(output.getOut());
		assertThat(line.find()).as("admin token line in %s", output.getOut()).isTrue();
		Jwt admin = TokenDecoders.create(TokenDecodersTests.jwt(null, null, Duration.ZERO), SECRET)
			.decode(line.group(1));
		assertThat(admin.getSubject()).isEqualTo("admin");
		assertThat(admin.getClaims()).containsEntry("acl", Map.of("all", List.of("#")));
		assertThat(admin.getExpiresAt()).isCloseTo(Instant.now().plus(Duration.ofHours(24)),
				within(Duration.ofMinutes(1)));
		assertThat(Identity.of(admin).rights(null).coversEverything()).isTrue();
		assertThat(line.find()).as("logged once").isFalse();
	}

	@Test
	void usesHttpWhenTheWebServerServesNoTls(CapturedOutput output) {
		new AdminTokenLog(new SigningSecret(SECRET, false), Duration.ofMinutes(90), ssl(false))
			.onApplicationEvent(started(8080));

		assertThat(output.getOut()).contains("Admin token (rights #, valid 90m) for http://localhost:8080/ : ey");
	}

	@Test
	void logsNothingWhenTokensComeFromAJwkSet(CapturedOutput output) {
		new AdminTokenLog(new SigningSecret(null, false), Duration.ofHours(24), ssl(true))
			.onApplicationEvent(started(8443));

		assertThat(output.getOut()).doesNotContain("Admin token");
	}

	@Test
	void neverShowsTheSecretAsText() {
		assertThat(new SigningSecret(SECRET, true).toString()).doesNotContain(SECRET).contains("generated");
	}

	private static Ssl ssl(boolean enabled) {
		Ssl ssl = new Ssl();
		ssl.setEnabled(enabled);
		return ssl;
	}

	private static WebServerInitializedEvent started(int port) {
		WebServer server = mock(WebServer.class);
		given(server.getPort()).willReturn(port);
		WebServerApplicationContext context = mock(WebServerApplicationContext.class);
		WebServerInitializedEvent event = mock(WebServerInitializedEvent.class);
		given(event.getWebServer()).willReturn(server);
		given(event.getApplicationContext()).willReturn(context);
		return event;
	}

}

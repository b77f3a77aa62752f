package io.herald.feed;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import io.herald.security.SecurityConfiguration;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(NewsQueryController.class)
@Import(SecurityConfiguration.class)
@TestPropertySource(properties = "herald.security.jwt.secret=" + TestTokens.SECRET)
class NewsQueryControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private NewsHistory history;

	@Test
	void answersNewestMatchingMessages() {
		this.history.add("/news/europe/sport", "goal", 1, false);
		this.history.add("/news/usa/tennis", "ace", 1, false);

		assertThat(this.mvc.get().uri("/api/news").param("filter", "/news/+/sport").param("limit", "5")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.length()", (length) -> assertThat(length).asNumber().isEqualTo(1))
			.hasPathSatisfying("$[0].topic", (topic) -> assertThat(topic).asString().isEqualTo("/news/europe/sport"))
			.hasPathSatisfying("$[0].payload", (payload) -> assertThat(payload).asString().isEqualTo("goal"));
	}

	@Test
	void refusesMultiLevelWildcardInTheMiddle() {
		assertBadParameter(this.mvc.get().uri("/api/news").param("filter", "a/#/b"), "filter");
	}

	@Test
	void refusesWildcardNotAWholeLevel() {
		assertBadParameter(this.mvc.get().uri("/api/news").param("filter", "a+"), "filter");
	}

	@Test
	void answersEverythingButDollarTopicsWithoutFilterAndCapsLimitAtHistorySize() {
		for (int i = 0; i < 12; i++) {
			this.history.add("/news/" + i, "item " + i, 1, false);
		}
		this.history.add("$SYS/uptime", "1", 0, false);

		assertThat(this.mvc.get().uri("/api/news").param("limit", "1000")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.length()", (length) -> assertThat(length).asNumber().isEqualTo(9))
			.hasPathSatisfying("$[0].topic", (topic) -> assertThat(topic).asString().isEqualTo("/news/11"));
	}

	@Test
	void answersAnonymousCallersOnlyWhatAnonymousClientsMaySubscribeTo() {
		this.history.add("/news/anonymous/goal", "goal", 1, false);
		this.history.add("/private/anonymous/plans", "secret", 1, false);

		assertThat(this.mvc.get().uri("/api/news").param("filter", "+/+/anonymous/#")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$[*].topic",
					(topics) -> assertThat(topics).asArray().containsExactly("/news/anonymous/goal"));
	}

	@Test
	void answersTokenHoldersWhatTheirTokenMaySubscribeToAndNothingElse() {
		this.history.add("/news/token/goal", "goal", 1, false);
		this.history.add("/private/token/plans", "secret", 1, false);

		assertThat(this.mvc.get()
			.uri("/api/news")
			.param("filter", "+/+/token/#")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.subscribing("/private/#")))).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$[*].topic",
					(topics) -> assertThat(topics).asArray().containsExactly("/private/token/plans"));
		assertThat(this.mvc.get()
			.uri("/api/news")
			.param("filter", "+/+/token/#")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(TestTokens.admin()))).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$[*].topic", (topics) -> assertThat(topics).asArray()
				.containsExactly("/private/token/plans", "/news/token/goal"));
	}

	@Test
	void countsTheLimitAmongTheItemsTheCallerMaySee() {
		this.history.add("/news/limit/1", "one", 1, false);
		this.history.add("/private/limit/1", "hidden", 1, false);
		this.history.add("/private/limit/2", "hidden", 1, false);

		assertThat(this.mvc.get().uri("/api/news").param("filter", "+/+/limit/#").param("limit", "1")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$[*].topic", (topics) -> assertThat(topics).asArray().containsExactly("/news/limit/1"));
	}

	@Test
	void refusesAnInvalidTokenInsteadOfAnsweringAsAnonymous() {
		String expired = TestTokens.withClaims(Map.of("sub", "someone", "exp", Instant.now().getEpochSecond() - 3600));

		assertThat(this.mvc.get().uri("/api/news").header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(expired)))
			.hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.headers()
			.hasHeaderSatisfying(HttpHeaders.WWW_AUTHENTICATE,
					(values) -> assertThat(values).singleElement().asString().contains("error=\"invalid_token\""));
	}

	@Test
	void refusesLimitBelowOne() {
		assertBadParameter(this.mvc.get().uri("/api/news").param("limit", "0"), "limit");
		assertBadParameter(this.mvc.get().uri("/api/news").param("limit", "-3"), "limit");
	}

	@Test
	void refusesLimitThatIsNotANumber() {
		assertBadParameter(this.mvc.get().uri("/api/news").param("limit", "ten"), "limit");
	}

	private void assertBadParameter(MockMvcTester.MockMvcRequestBuilder request, String parameter) {
		assertThat(request).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.status", (status) -> assertThat(status).asNumber().isEqualTo(400))
			.hasPathSatisfying("$.detail", (detail) -> assertThat(detail).asString().startsWith(parameter + " "))
			.hasPathSatisfying("$.errors[0].field", (field) -> assertThat(field).asString().isEqualTo(parameter));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class HistoryConfiguration {

		@Bean
		NewsHistory newsHistory() {
			return new NewsHistory(10, 1_000_000, Clock.systemUTC());
		}

	}

}

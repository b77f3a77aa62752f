package io.herald.feed;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

@WebMvcTest(NewsQueryController.class)
class NewsQueryControllerTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private NewsHistory history;

	@Test
	void answersNewestMatchingMessages() {
		this.history.add("/news/europe/sport", "goal", 1, false);
		this.history.add("/news/usa/tennis", "ace", 1, false);

		assertThat(this.mvc.get().uri("/api/news").param("filter", "/news/+/sport").param("limit", "5"))
			.hasStatusOk()
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
			return new NewsHistory(10, Clock.systemUTC());
		}

	}

}

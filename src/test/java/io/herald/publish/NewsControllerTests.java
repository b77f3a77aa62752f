package io.herald.publish;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.herald.security.SecurityConfiguration;
import io.herald.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResultAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

@WebMvcTest(NewsController.class)
@Import(SecurityConfiguration.class)
@TestPropertySource(properties = { "herald.publish.max-payload=1KB", "herald.publish.max-batch=3",
		"herald.publish.max-request-size=128KB", "herald.publish.retry-after=7s",
		"herald.security.jwt.secret=" + TestTokens.SECRET })
class NewsControllerTests {

	private static final Instant PUBLISHED_AT = Instant.parse("2026-01-02T03:04:05Z");

	private static final String ADMIN = TestTokens.bearer(TestTokens.admin());

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private NewsPublisher publisher;

	@Test
	void acceptsNewsWithDefaultQosAndRetain() {
		given(this.publisher.publish(any())).willAnswer((invocation) -> accepted(invocation.getArgument(0)));

		assertThat(post("{\"topic\": \"/news/europe/sport\", \"payload\": \"Goal!\"}")).hasStatus(HttpStatus.ACCEPTED)
			.bodyJson()
			.hasPathSatisfying("$.id", (id) -> assertThat(id).asString().isNotEmpty())
			.hasPathSatisfying("$.topic", (topic) -> assertThat(topic).asString().isEqualTo("/news/europe/sport"))
			.hasPathSatisfying("$.qos", (qos) -> assertThat(qos).asNumber().isEqualTo(1))
			.hasPathSatisfying("$.retain", (retain) -> assertThat(retain).asBoolean().isFalse())
			.hasPathSatisfying("$.publishedAt", (at) -> assertThat(at).asString().isEqualTo("2026-01-02T03:04:05Z"));
		OutgoingNews sent = sentNews();
		assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("Goal!");
		assertThat(sent.qos()).isEqualTo(1);
		assertThat(sent.retain()).isFalse();
	}

	@Test
	void sendsJsonPayloadsAsTheirJsonText() {
		given(this.publisher.publish(any())).willAnswer((invocation) -> accepted(invocation.getArgument(0)));

		assertThat(post("{\"topic\": \"a/b\", \"payload\": {\"score\": [2, 1], \"final\": true}, \"qos\": 2,"
				+ " \"retain\": true}"))
			.hasStatus(HttpStatus.ACCEPTED);

		OutgoingNews sent = sentNews();
		assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"score\":[2,1],\"final\":true}");
		assertThat(sent.qos()).isEqualTo(2);
		assertThat(sent.retain()).isTrue();
	}

	@Test
	void refusesMissingTopic() {
		assertInvalid(post("{\"payload\": \"x\"}"), "topic");
	}

	@Test
	void refusesEmptyTopic() {
		assertInvalid(post("{\"topic\": \"\", \"payload\": \"x\"}"), "topic");
	}

	@Test
	void refusesSingleLevelWildcardInTopic() {
		assertInvalid(post("{\"topic\": \"/news/+/sport\", \"payload\": \"x\"}"), "topic");
	}

	@Test
	void refusesMultiLevelWildcardInTopic() {
		assertInvalid(post("{\"topic\": \"/news/#\", \"payload\": \"x\"}"), "topic");
	}

	@Test
	void refusesTopicOverMaximumLength() {
		assertInvalid(post("{\"topic\": \"" + "é".repeat(32_768) + "\", \"payload\": \"x\"}"), "topic");
	}

	@Test
	void refusesTopicWithNullCharacter() {
		assertInvalid(post("{\"topic\": \"a\\u0000b\", \"payload\": \"x\"}"), "topic");
	}

	@Test
	void refusesQosOutOfRange() {
		assertInvalid(post("{\"topic\": \"a\", \"payload\": \"x\", \"qos\": 3}"), "qos");
		assertInvalid(post("{\"topic\": \"a\", \"payload\": \"x\", \"qos\": -1}"), "qos");
	}

	@Test
	void refusesQosThatIsNotAWholeNumber() {
		assertInvalid(post("{\"topic\": \"a\", \"payload\": \"x\", \"qos\": \"high\"}"), "qos");
		assertInvalid(post("{\"topic\": \"a\", \"payload\": \"x\", \"qos\": 1.5}"), "qos");
		assertInvalid(post("{\"topic\": \"a\", \"payload\": \"x\", \"qos\": \"1\"}"), "qos");
	}

	@Test
	void refusesRetainThatIsNotABoolean() {
		assertInvalid(post("{\"topic\": \"a\", \"payload\": \"x\", \"retain\": \"yes\"}"), "retain");
		assertInvalid(post("{\"topic\": \"a\", \"payload\": \"x\", \"retain\": 1}"), "retain");
	}

	@Test
	void refusesTopicThatIsNotAString() {
		assertInvalid(post("{\"topic\": {\"name\": \"a\"}, \"payload\": \"x\"}"), "topic");
	}

	@Test
	void treatsNullQosAndRetainAsAbsentAndNullPayloadAsJson() {
		given(this.publisher.publish(any())).willAnswer((invocation) -> accepted(invocation.getArgument(0)));

		assertThat(post("{\"topic\": \"a\", \"payload\": null, \"qos\": null, \"retain\": null}"))
			.hasStatus(HttpStatus.ACCEPTED);

		OutgoingNews sent = sentNews();
		assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("null");
		assertThat(sent.qos()).isEqualTo(1);
		assertThat(sent.retain()).isFalse();
	}

	@Test
	void refusesMissingPayload() {
		assertInvalid(post("{\"topic\": \"a\"}"), "payload");
	}

	@Test
	void refusesMalformedJson() {
		assertThat(post("{\"topic\": \"a\", \"payload\": ")).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.detail",
					(detail) -> assertThat(detail).asString().startsWith("The body is not valid JSON"));
		then(this.publisher).should(never()).publish(any());
	}

	@Test
	void refusesRequestBodyOverMaximumSizeBeforeReadingIt() {
		String body = "{\"topic\": \"a\", \"payload\": \"x\", \"padding\": \"" + "x".repeat(128 * 1024) + "\"}";
		assertThat(post(body)).hasStatus(HttpStatus.CONTENT_TOO_LARGE)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.detail",
					(detail) -> assertThat(detail).asString().contains("herald.publish.max-request-size"));
		assertThat(postBatch("[" + body + "]")).hasStatus(HttpStatus.CONTENT_TOO_LARGE);
		then(this.publisher).shouldHaveNoInteractions();
	}

	@Test
	void refusesPayloadOverMaximumSize() {
		assertThat(post("{\"topic\": \"a\", \"payload\": \"" + "x".repeat(1025) + "\"}"))
			.hasStatus(HttpStatus.CONTENT_TOO_LARGE)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.errors[0].field", (field) -> assertThat(field).asString().isEqualTo("payload"));
		then(this.publisher).should(never()).publish(any());
	}

	@Test
	void acceptsPayloadOfExactlyMaximumSize() {
		given(this.publisher.publish(any())).willAnswer((invocation) -> accepted(invocation.getArgument(0)));

		assertThat(post("{\"topic\": \"a\", \"payload\": \"" + "x".repeat(1024) + "\"}"))
			.hasStatus(HttpStatus.ACCEPTED);
	}

	@Test
	void refusesBodyThatIsNotJson() {
		assertThat(this.mvc.post()
			.uri("/api/news")
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.contentType(MediaType.TEXT_PLAIN)
			.content("topic=a")).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(this.mvc.post()
			.uri("/api/news")
			.header(HttpHeaders.AUTHORIZATION, ADMIN)
			.content("{\"topic\": \"a\", \"payload\": \"x\"}")).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void answersServiceUnavailableWithRetryAfterWhenBrokerDoesNotAccept() {
		given(this.publisher.publish(any())).willReturn(CompletableFuture
			.failedFuture(new NewsNotPublishedException("The broker did not accept the message: refused", null)));

		assertThat(post("{\"topic\": \"a\", \"payload\": \"x\"}")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "7")
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.detail", (detail) -> assertThat(detail).asString().contains("refused"));
	}

	@Test
	void acceptsBatchWithOneReceiptPerMessageInOrder() {
		given(this.publisher.publishAll(any())).willAnswer((invocation) -> {
			List<OutgoingNews> batch = invocation.getArgument(0);
			return CompletableFuture.completedFuture(batch.stream().map(NewsControllerTests::receipt).toList());
		});

		assertThat(postBatch("[{\"topic\": \"a/1\", \"payload\": \"one\"}, {\"topic\": \"a/2\", \"payload\": 2}]"))
			.hasStatus(HttpStatus.ACCEPTED)
			.bodyJson()
			.hasPathSatisfying("$[*].topic", (topics) -> assertThat(topics).asArray().containsExactly("a/1", "a/2"));
	}

	@Test
	void refusesBatchOverMaximumSize() {
		String item = "{\"topic\": \"a\", \"payload\": \"x\"}";
		assertThat(postBatch("[" + String.join(",", item, item, item, item) + "]"))
			.hasStatus(HttpStatus.CONTENT_TOO_LARGE)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.detail",
					(detail) -> assertThat(detail).asString().contains("herald.publish.max-batch"));
		then(this.publisher).should(never()).publishAll(any());
	}

	@Test
	void namesTheItemAndFieldOfAnInvalidBatchMessage() {
		assertInvalid(postBatch("[{\"topic\": \"a\", \"payload\": \"x\"}, {\"topic\": \"a/#\", \"payload\": \"x\"}]"),
				"[1].topic");
		assertInvalid(postBatch("[{\"topic\": \"a\", \"payload\": \"x\", \"qos\": 9}]"), "[0].qos");
		assertInvalid(postBatch("[{\"topic\": \"a\", \"payload\": \"x\"}, null]"), "[1]");
		assertInvalid(postBatch("[{\"topic\": \"a\", \"payload\": \"x\", \"qos\": \"x\"}]"), "[0].qos");
	}

	@Test
	void refusesBatchPayloadOverMaximumSizeNamingTheItem() {
		assertThat(postBatch("[{\"topic\": \"a\", \"payload\": \"x\"}, {\"topic\": \"a\", \"payload\": \""
				+ "x".repeat(2000) + "\"}]"))
			.hasStatus(HttpStatus.CONTENT_TOO_LARGE)
			.bodyJson()
			.hasPathSatisfying("$.errors[0].field", (field) -> assertThat(field).asString().isEqualTo("[1].payload"));
	}

	@Test
	void refusesEmptyBatchAndBatchThatIsNotAnArray() {
		assertInvalid(postBatch("[]"), "batch");
		assertThat(postBatch("{\"topic\": \"a\", \"payload\": \"x\"}")).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void refusesNewsWithoutTokenWithBearerChallenge() {
		assertThat(this.mvc.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"topic\": \"/news/a\", \"payload\": \"x\"}")).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.headers()
			.hasHeaderSatisfying(HttpHeaders.WWW_AUTHENTICATE,
					(values) -> assertThat(values).singleElement().asString().startsWith("Bearer"));
		then(this.publisher).shouldHaveNoInteractions();
	}

	@Test
	void acceptsNewsToATopicTheTokenMayPublishTo() {
		given(this.publisher.publish(any())).willAnswer((invocation) -> accepted(invocation.getArgument(0)));

		assertThat(
				post("{\"topic\": \"/news/europe/sport\", \"payload\": \"Goal!\"}", TestTokens.publishing("/news/#")))
			.hasStatus(HttpStatus.ACCEPTED);
	}

	@Test
	void refusesNewsToATopicTheTokenMayNotPublishToNamingIt() {
		String privateNews = "{\"topic\": \"/private/plans\", \"payload\": \"x\"}";
		String news = "{\"topic\": \"/news/a\", \"payload\": \"x\"}";
		assertForbidden(post(privateNews, TestTokens.publishing("/news/#")), "topic", "/private/plans");
		assertForbidden(post(news, TestTokens.subscribing("#")), "topic", "/news/a");
		assertForbidden(post(news, TestTokens.withoutAcl()), "topic", "/news/a");
	}

	@Test
	void refusesTheWholeBatchWhenTheTokenMayNotPublishToOneOfItsTopics() {
		assertForbidden(postBatch(
				"[{\"topic\": \"/news/a\", \"payload\": \"x\"}, {\"topic\": \"/private/b\","
						+ " \"payload\": \"y\"}, {\"topic\": \"/private/c\", \"payload\": \"z\"}]",
				TestTokens.publishing("/news/#")), "[1].topic", "/private/b");
	}

	@Test
	void answersInvalidNewsBeforeCheckingRights() {
		String invalid = "{\"topic\": \"/private/a\", \"payload\": \"x\", \"qos\": 7}";
		assertInvalid(post(invalid, TestTokens.withoutAcl()), "qos");
	}

	@Test
	void reportsMessagesAcceptedBeforeBatchFailed() {
		given(this.publisher.publishAll(any())).willReturn(CompletableFuture
			.failedFuture(new NewsNotPublishedException("The broker did not accept the message: gone",
					List.of(new NewsReceipt("1", "a/1", 1, false, PUBLISHED_AT)), null)));

		assertThat(postBatch("[{\"topic\": \"a/1\", \"payload\": \"x\"}, {\"topic\": \"a/2\", \"payload\": \"y\"}]"))
			.hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "7")
			.bodyJson()
			.hasPathSatisfying("$.accepted[*].topic", (topics) -> assertThat(topics).asArray().containsExactly("a/1"));
	}

	private MockMvcTester.MockMvcRequestBuilder post(String json) {
		return post(json, TestTokens.admin());
	}

	private MockMvcTester.MockMvcRequestBuilder post(String json, String token) {
		return this.mvc.post()
			.uri("/api/news")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json);
	}

	private MockMvcTester.MockMvcRequestBuilder postBatch(String json) {
		return postBatch(json, TestTokens.admin());
	}

	private MockMvcTester.MockMvcRequestBuilder postBatch(String json, String token) {
		return this.mvc.post()
			.uri("/api/news/batch")
			.header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json);
	}

	private void assertForbidden(MockMvcTester.MockMvcRequestBuilder request, String field, String topic) {
		assertThat(request).hasStatus(HttpStatus.FORBIDDEN)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.detail", (detail) -> assertThat(detail).asString().contains(topic))
			.hasPathSatisfying("$.errors[0].field", (name) -> assertThat(name).asString().isEqualTo(field));
		then(this.publisher).shouldHaveNoInteractions();
	}

	private void assertInvalid(MockMvcTester.MockMvcRequestBuilder request, String field) {
		MvcTestResultAssert result = assertThat(request).hasStatus(HttpStatus.BAD_REQUEST)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		result.bodyJson()
			.hasPathSatisfying("$.status", (status) -> assertThat(status).asNumber().isEqualTo(400))
			.hasPathSatisfying("$.detail", (detail) -> assertThat(detail).asString().startsWith(field + " "))
			.hasPathSatisfying("$.errors[0].field", (name) -> assertThat(name).asString().isEqualTo(field));
		then(this.publisher).should(never()).publish(any());
		then(this.publisher).should(never()).publishAll(any());
	}

	private OutgoingNews sentNews() {
		ArgumentCaptor<OutgoingNews> sent = ArgumentCaptor.forClass(OutgoingNews.class);
		then(this.publisher).should().publish(sent.capture());
		return sent.getValue();
	}

	private static CompletableFuture<NewsReceipt> accepted(OutgoingNews news) {
		return CompletableFuture.completedFuture(receipt(news));
	}

	private static NewsReceipt receipt(OutgoingNews news) {
		return new NewsReceipt("id-" + news.topic(), news.topic(), news.qos(), news.retain(), PUBLISHED_AT);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@EnableConfigurationProperties(PublishProperties.class)
	static class PropertiesConfiguration {

	}

}

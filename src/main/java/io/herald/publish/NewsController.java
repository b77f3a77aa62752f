package io.herald.publish;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.herald.security.IdentityResolver;
import io.herald.security.TopicRights;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes news to the broker over REST: {@code POST /api/news} for one message,
 * {@code POST /api/news/batch} for several, answered 202 once the broker accepted them,
 * or 503 with {@code Retry-After} when it did not. The caller's token must allow
 * publishing to every topic of the request, or nothing is published (403).
 */
@RestController
class NewsController {

	private final NewsPublisher publisher;

	private final PublishProperties properties;

	private final IdentityResolver identities;

	NewsController(NewsPublisher publisher, PublishProperties properties, IdentityResolver identities) {
		this.publisher = publisher;
		this.properties = properties;
		this.identities = identities;
	}

	// No 'consumes' on the mappings: a wrong Content-Type then fails inside this
	// controller, where PublishProblemHandler answers it as a problem detail.
	@Operation(summary = "Publish one message",
			description = "Published at the QoS asked for; answered once the broker acknowledged it.",
			security = @SecurityRequirement(name = "bearer"),
			responses = { @ApiResponse(responseCode = "202", description = "The broker acknowledged the message"),
					@ApiResponse(responseCode = "400",
							description = "The body is not a valid message: each problem names its field",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "401", description = "No token, or a token that is invalid or expired",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "403",
							description = "The token's rights do not cover a topic (publish)",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "413",
							description = "The payload is larger than herald.publish.max-payload, or the body than herald.publish.max-request-size",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "503",
							description = "The broker did not acknowledge in time (herald.publish.timeout) or is unreachable; Retry-After says when to try again",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))) })
	@PostMapping("/api/news")
	CompletableFuture<ResponseEntity<NewsReceipt>> publish(@RequestBody NewsRequest request,
			@Nullable Principal caller) {
		List<FieldProblem> problems = NewsValidator.check(request, "");
		if (!problems.isEmpty()) {
			throw new InvalidNewsException(problems);
		}
		checkRights(List.of(request), caller, false);
		OutgoingNews news = prepare(request, "");
		return this.publisher.publish(news).thenApply((receipt) -> ResponseEntity.accepted().body(receipt));
	}

	@Operation(summary = "Publish several messages, in order",
			description = "All or nothing at validation: one invalid message refuses the batch. Answered with "
					+ "one receipt per message once the broker acknowledged them all.",
			security = @SecurityRequirement(name = "bearer"),
			responses = { @ApiResponse(responseCode = "202", description = "The broker acknowledged every message"),
					@ApiResponse(responseCode = "400",
							description = "The batch is empty or a message is invalid: each problem names its field ([i].topic)",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "401", description = "No token, or a token that is invalid or expired",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "403",
							description = "The token's rights do not cover a topic (publish)",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "413",
							description = "More messages than herald.publish.max-batch, a payload over herald.publish.max-payload, or a body over herald.publish.max-request-size",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "503",
							description = "The broker did not acknowledge in time (herald.publish.timeout) or is unreachable; Retry-After says when to try again",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))) })
	@PostMapping("/api/news/batch")
	CompletableFuture<ResponseEntity<List<NewsReceipt>>> publishBatch(@RequestBody List<NewsRequest> requests,
			@Nullable Principal caller) {
		if (requests.isEmpty()) {
			throw new InvalidNewsException(List.of(FieldProblem.of("batch", "must hold at least one message")));
		}
		if (requests.size() > this.properties.maxBatch()) {
			throw new NewsTooLargeException(null, "batch holds " + requests.size()
					+ " messages, more than herald.publish.max-batch (" + this.properties.maxBatch() + ")");
		}
		List<FieldProblem> problems = new ArrayList<>();
		for (int i = 0; i < requests.size(); i++) {
			problems.addAll(NewsValidator.check(requests.get(i), "[" + i + "]."));
		}
		if (!problems.isEmpty()) {
			throw new InvalidNewsException(problems);
		}
		checkRights(requests, caller, true);
		List<OutgoingNews> batch = new ArrayList<>(requests.size());
		for (int i = 0; i < requests.size(); i++) {
			batch.add(prepare(requests.get(i), "[" + i + "]."));
		}
		return this.publisher.publishAll(batch).thenApply((receipts) -> ResponseEntity.accepted().body(receipts));
	}

	/** The broker did not take the news: 503, and when to try again. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> notPublished(NewsNotPublishedException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("Broker unavailable");
		if (!ex.accepted().isEmpty()) {
			problem.setProperty("accepted", ex.accepted());
		}
		long retryAfterSeconds = Math.max(1, (this.properties.retryAfter().toMillis() + 999) / 1000);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
			.body(problem);
	}

	/**
	 * Refuses the whole request, naming the first topic the caller may not publish to.
	 */
	private void checkRights(List<NewsRequest> requests, @Nullable Principal caller, boolean batch) {
		TopicRights rights = this.identities.identify(caller).rights(null);
		for (int i = 0; i < requests.size(); i++) {
			String topic = requests.get(i).topic();
			if (!rights.mayPublish(topic)) {
				throw new NewsForbiddenException((batch ? "[" + i + "]." : "") + "topic", topic);
			}
		}
	}

	private OutgoingNews prepare(NewsRequest request, String prefix) {
		byte[] payload = request.payloadBytes();
		long max = this.properties.maxPayload().toBytes();
		if (payload.length > max) {
			throw new NewsTooLargeException(prefix + "payload", prefix + "payload is " + payload.length
					+ " bytes in UTF-8, more than herald.publish.max-payload (" + max + " bytes)");
		}
		return new OutgoingNews(request.topic(), payload, request.qosOrDefault(), request.retainOrDefault());
	}

}

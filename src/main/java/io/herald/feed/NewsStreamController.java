package io.herald.feed;

import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.herald.feed.NewsQueryController.InvalidQueryException;
import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.TopicFilter;
import io.herald.security.IdentityResolver;
import io.herald.security.TopicRights;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/news/stream}: the feed as Server-Sent Events, for MQTT topic filters
 * the caller may subscribe to, replayed from the history after a last event id.
 */
@RestController
class NewsStreamController {

	/** Sent by {@code EventSource} when it reconnects. */
	static final String LAST_EVENT_ID = "Last-Event-ID";

	private final NewsStreams streams;

	private final IdentityResolver identities;

	NewsStreamController(NewsStreams streams, IdentityResolver identities) {
		this.streams = streams;
		this.identities = identities;
	}

	@Operation(summary = "The feed as Server-Sent Events",
			description = "Each message the feed receives on a topic matching one of the filters, as an event "
					+ "(id: history id, event: message, data: JSON with topic, payload, qos, retained, receivedAt). "
					+ "With Last-Event-ID (or lastEventId on a first connect), the history after that id is "
					+ "replayed first; an event 'gap' says some were no longer kept. A comment every "
					+ "herald.feed.sse-heartbeat. The token may come as access_token, since EventSource cannot "
					+ "set headers.",
			security = @SecurityRequirement(name = "bearer"),
			parameters = @Parameter(name = LAST_EVENT_ID, in = ParameterIn.HEADER,
					description = "The id of the last event received, sent by EventSource on reconnect"),
			responses = {
					@ApiResponse(responseCode = "200", description = "The stream",
							content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE)),
					@ApiResponse(responseCode = "400",
							description = "A filter that is not a valid MQTT topic filter, or a last event id that "
									+ "is not one of the history's",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "401",
							description = "A token that is invalid or expired, or no token while anonymous access is off",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "403", description = "A filter outside the caller's subscribe rights",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "503",
							description = "Herald holds its maximum of streams, or is shutting down",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))) })
	@GetMapping("/api/news/stream")
	@Parameter(name = FilterQuery.NAME, in = ParameterIn.QUERY,
			description = "MQTT topic filters, several allowed ('+' is the wildcard, not a space); without one, "
					+ "every topic the caller may subscribe to")
	void stream(@RequestParam(required = false) @Nullable String lastEventId,
			@RequestHeader(name = LAST_EVENT_ID,
					required = false) @Parameter(hidden = true) @Nullable String reconnectId,
			@Nullable Principal caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
		List<String> filter = FilterQuery.filters(request, "");
		TopicRights rights = this.identities.identify(caller).rights(null);
		Predicate<String> wanted;
		if (filter.equals(List.of(""))) {
			// No filter: every topic the caller may subscribe to, as GET /api/news.
			TopicFilter all = TopicFilter.of(NewsQueryController.ALL);
			wanted = (topic) -> all.matches(topic) && rights.maySubscribe(topic);
		}
		else {
			List<TopicFilter> filters = new ArrayList<>();
			for (String each : filter) {
				try {
					filters.add(TopicFilter.of(each));
				}
				catch (InvalidTopicException ex) {
					throw new InvalidQueryException("filter", "is not a valid MQTT topic filter: " + ex.getMessage());
				}
				if (!rights.maySubscribe(each)) {
					throw new StreamForbiddenException("Not authorized to subscribe to " + each);
				}
			}
			wanted = (topic) -> filters.stream().anyMatch((each) -> each.matches(topic));
		}
		// On reconnect, EventSource's own header is where the client really is.
		String last = (reconnectId != null) ? reconnectId : lastEventId;
		try {
			this.streams.open(request, response, wanted, last);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidQueryException((reconnectId != null) ? LAST_EVENT_ID : "lastEventId", ex.getMessage());
		}
	}

	/** A filter outside the caller's subscribe rights. */
	static final class StreamForbiddenException extends RuntimeException {

		StreamForbiddenException(String message) {
			super(message);
		}

	}

}

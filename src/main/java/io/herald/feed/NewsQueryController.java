package io.herald.feed;

import java.security.Principal;
import java.util.List;

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
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers {@code GET /api/news} from the feed's history: the newest messages matching an
 * MQTT topic filter, newest first, of those the caller may subscribe to (with anonymous
 * rights when it has no token).
 */
@RestController
class NewsQueryController {

	static final int DEFAULT_LIMIT = 20;

	/** Every topic except {@code $}-topics; also what an empty {@code filter} means. */
	static final String ALL = "#";

	private final NewsHistory history;

	private final IdentityResolver identities;

	NewsQueryController(NewsHistory history, IdentityResolver identities) {
		this.history = history;
		this.identities = identities;
	}

	@Operation(summary = "The newest messages the feed received",
			description = "Newest first, only topics the caller may subscribe to (anonymous rights without a token).",
			security = @SecurityRequirement(name = "bearer"),
			responses = { @ApiResponse(responseCode = "200", description = "The matching messages, newest first"),
					@ApiResponse(responseCode = "400",
							description = "filter is not a valid MQTT topic filter, or limit is below 1",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "401",
							description = "A token that is invalid or expired, or no token while anonymous access is off",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))) })
	@GetMapping("/api/news")
	@Parameter(name = FilterQuery.NAME, in = ParameterIn.QUERY,
			description = "An MQTT topic filter ('+' is the wildcard, not a space); all topics without one")
	List<NewsItem> newest(@RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit, @Nullable Principal caller,
			HttpServletRequest request) {
		List<String> filters = FilterQuery.filters(request, ALL);
		if (filters.size() > 1) {
			throw new InvalidQueryException("filter", "may be given once here");
		}
		String filter = filters.get(0);
		TopicFilter topicFilter;
		try {
			topicFilter = TopicFilter.of(filter);
		}
		catch (InvalidTopicException ex) {
			throw new InvalidQueryException("filter", "is not a valid MQTT topic filter: " + ex.getMessage());
		}
		if (limit < 1) {
			throw new InvalidQueryException("limit", "must be at least 1");
		}
		TopicRights rights = this.identities.identify(caller).rights(null);
		// Asking for more than the history holds is no error: it answers what there is.
		return this.history.newest(topicFilter, rights::maySubscribe, Math.min(limit, this.history.capacity()));
	}

	/** A query parameter that parsed but makes no sense. */
	static final class InvalidQueryException extends RuntimeException {

		private final String parameter;

		InvalidQueryException(String parameter, String reason) {
			super(parameter + " " + reason);
			this.parameter = parameter;
		}

		String parameter() {
			return this.parameter;
		}

	}

}

package io.herald.feed;

import java.security.Principal;
import java.util.List;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.TopicFilter;
import io.herald.security.IdentityResolver;
import io.herald.security.TopicRights;
import org.jspecify.annotations.Nullable;

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

	@GetMapping("/api/news")
	List<NewsItem> newest(@RequestParam(defaultValue = ALL) String filter,
			@RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit, @Nullable Principal caller) {
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

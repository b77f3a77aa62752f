package io.herald.push;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.herald.mqtt.InvalidTopicException;
import io.herald.mqtt.TopicFilter;
import io.herald.push.RegistrationRequest.BrowserSubscription;
import io.herald.push.send.P256;
import io.herald.security.TopicRights;
import org.jspecify.annotations.Nullable;

/**
 * Checks a push registration at the edge: the endpoint against the allow-list, the
 * browser's keys as P-256 point and 16-byte secret, the filters as MQTT topic filters
 * within the limit and the caller's subscribe rights.
 */
final class RegistrationValidator {

	/** The longest endpoint kept (the database column's width). */
	static final int MAX_ENDPOINT_LENGTH = 2048;

	private static final int AUTH_BYTES = 16;

	private static final String SHARED = "$share/";

	private final List<EndpointPattern> allowed;

	private final int maxFilters;

	RegistrationValidator(PushProperties properties) {
		this.allowed = properties.allowedEndpoints().stream().map(EndpointPattern::of).toList();
		this.maxFilters = properties.maxFilters();
	}

	/**
	 * The registration's filters, duplicates removed, once everything is valid.
	 * @throws InvalidRegistrationException naming the field that is not
	 * @throws RegistrationForbiddenException naming the filter outside {@code rights}
	 */
	Valid check(RegistrationRequest request, TopicRights rights) {
		BrowserSubscription subscription = request.subscription();
		if (subscription == null) {
			throw new InvalidRegistrationException("subscription", "is required (the browser's PushSubscription)");
		}
		String endpoint = endpoint(subscription.endpoint());
		if (subscription.keys() == null) {
			throw new InvalidRegistrationException("subscription.keys", "is required");
		}
		String p256dh = subscription.keys().p256dh();
		byte[] point = decode("subscription.keys.p256dh", p256dh);
		try {
			P256.publicKey(point);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRegistrationException("subscription.keys.p256dh", ex.getMessage());
		}
		String auth = subscription.keys().auth();
		if (decode("subscription.keys.auth", auth).length != AUTH_BYTES) {
			throw new InvalidRegistrationException("subscription.keys.auth", "must be 16 bytes");
		}
		return new Valid(endpoint, p256dh.strip(), auth.strip(), filters(request.filters(), rights));
	}

	private String endpoint(@Nullable String endpoint) {
		String field = "subscription.endpoint";
		if (endpoint == null || endpoint.isBlank()) {
			throw new InvalidRegistrationException(field, "is required");
		}
		if (endpoint.length() > MAX_ENDPOINT_LENGTH) {
			throw new InvalidRegistrationException(field, "is longer than " + MAX_ENDPOINT_LENGTH + " characters");
		}
		if (this.allowed.stream().noneMatch((pattern) -> pattern.matches(endpoint))) {
			throw new InvalidRegistrationException(field,
					"is not the URL of an allowed push service (herald.push.allowed-endpoints)");
		}
		return endpoint;
	}

	private List<String> filters(@Nullable List<@Nullable String> given, TopicRights rights) {
		if (given == null || given.isEmpty()) {
			throw new InvalidRegistrationException("filters", "must hold at least one MQTT topic filter");
		}
		Set<String> filters = new LinkedHashSet<>();
		for (int i = 0; i < given.size(); i++) {
			String field = "filters[" + i + "]";
			String filter = given.get(i);
			try {
				TopicFilter.of(filter);
			}
			catch (InvalidTopicException ex) {
				throw new InvalidRegistrationException(field, "is not a valid MQTT topic filter: " + ex.getMessage());
			}
			if (filter.startsWith(SHARED)) {
				throw new InvalidRegistrationException(field, "must not be a shared subscription");
			}
			if (!rights.maySubscribe(filter)) {
				throw new RegistrationForbiddenException(field, filter);
			}
			filters.add(filter);
		}
		if (filters.size() > this.maxFilters) {
			throw new InvalidRegistrationException("filters", "holds " + filters.size()
					+ " filters, more than herald.push.max-filters (" + this.maxFilters + ")");
		}
		return new ArrayList<>(filters);
	}

	private static byte[] decode(String field, @Nullable String text) {
		if (text == null || text.isBlank()) {
			throw new InvalidRegistrationException(field, "is required");
		}
		try {
			return java.util.Base64.getUrlDecoder().decode(text.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRegistrationException(field, "is not base64url: " + ex.getMessage());
		}
	}

	/**
	 * A registration that passed every check.
	 *
	 * @param endpoint the push service URL
	 * @param p256dh the browser's public key
	 * @param auth the browser's authentication secret
	 * @param filters the topic filters, each once
	 */
	record Valid(String endpoint, String p256dh, String auth, List<String> filters) {

	}

}

package io.herald.feed;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The {@code filter} parameters of a feed query, read from the raw query string with
 * {@code +} kept as MQTT's single-level wildcard: {@code ?filter=/news/+/sport} means
 * what it says (form decoding would have made the {@code +} a space; a space is
 * {@code %20}).
 */
final class FilterQuery {

	static final String NAME = "filter";

	private FilterQuery() {
	}

	/** The filters given, in order, or {@code fallback} alone when none is. */
	static List<String> filters(HttpServletRequest request, String fallback) {
		List<String> filters = new ArrayList<>();
		@Nullable String query = request.getQueryString();
		if (query == null) {
			// Parameters without a query string (a form, or a request built in a test).
			@Nullable String[] given = request.getParameterValues(NAME);
			if (given != null) {
				filters.addAll(List.of(given));
			}
		}
		else {
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
				if (name.equals(NAME)) {
					filters.add((equals >= 0) ? decode(pair.substring(equals + 1)) : "");
				}
			}
		}
		filters.removeIf(String::isEmpty);
		return filters.isEmpty() ? List.of(fallback) : filters;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new NewsQueryController.InvalidQueryException(NAME, "is not URL-encoded: " + ex.getMessage());
		}
	}

}

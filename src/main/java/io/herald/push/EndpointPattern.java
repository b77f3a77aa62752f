package io.herald.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code herald.push.allowed-endpoints}: a URL pattern where {@code *} is
 * any text within one host label or one path segment and {@code **} any rest of the path,
 * matched against an endpoint once it has been parsed as a URI.
 */
final class EndpointPattern {

	private static final Pattern SHAPE = Pattern.compile("(https?)://([^/]+)(/.*)?");

	private final String text;

	private final Pattern pattern;

	private EndpointPattern(String text, Pattern pattern) {
		this.text = text;
		this.pattern = pattern;
	}

	/**
	 * Reads {@code text}.
	 * @throws IllegalArgumentException when it is not a URL pattern
	 */
	static EndpointPattern of(String text) {
		Matcher shape = SHAPE.matcher(text);
		if (!shape.matches()) {
			throw new IllegalArgumentException("herald.push.allowed-endpoints has '" + text
					+ "', which is not a URL pattern like https://*.example.com/**");
		}
		String path = (shape.group(3) != null) ? shape.group(3) : "/";
		String regex = Pattern.quote(shape.group(1) + "://")
				+ translate(shape.group(2).toLowerCase(Locale.ROOT), "[^./:]+", false) + translate(path, "[^/]*", true);
		return new EndpointPattern(text, Pattern.compile(regex));
	}

	/**
	 * Whether {@code endpoint} matches: an absolute URI with a host, no user information
	 * and no fragment, compared as scheme, host (lower case), port and raw path and
	 * query.
	 */
	boolean matches(String endpoint) {
		String normal = normalize(endpoint);
		return normal != null && this.pattern.matcher(normal).matches();
	}

	/** The endpoint as patterns are compared with it, or {@code null} when unusable. */
	static @Nullable String normalize(String endpoint) {
		URI uri;
		try {
			uri = new URI(endpoint);
		}
		catch (URISyntaxException ex) {
			return null;
		}
		if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null
				|| uri.getRawFragment() != null) {
			return null;
		}
		StringBuilder normal = new StringBuilder(uri.getScheme().toLowerCase(Locale.ROOT)).append("://")
			.append(uri.getHost().toLowerCase(Locale.ROOT));
		if (uri.getPort() != -1) {
			normal.append(':').append(uri.getPort());
		}
		normal.append(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
		if (uri.getRawQuery() != null) {
			normal.append('?').append(uri.getRawQuery());
		}
		return normal.toString();
	}

	private static String translate(String part, String star, boolean doubleStar) {
		StringBuilder regex = new StringBuilder();
		int literal = 0;
		for (int i = 0; i < part.length(); i++) {
			if (part.charAt(i) != '*') {
				continue;
			}
			regex.append(quote(part.substring(literal, i)));
			if (doubleStar && i + 1 < part.length() && part.charAt(i + 1) == '*') {
				regex.append(".*");
				i++;
			}
			else {
				regex.append(star);
			}
			literal = i + 1;
		}
		regex.append(quote(part.substring(literal)));
		return regex.toString();
	}

	private static String quote(String literal) {
		return literal.isEmpty() ? "" : Pattern.quote(literal);
	}

	@Override
	public String toString() {
		return this.text;
	}

}

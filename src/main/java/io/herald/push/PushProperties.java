package io.herald.push;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.herald.mqtt.TopicFilter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every Web Push setting: what Herald follows for push, who may register a subscription
 * and how many, the VAPID key pair, and how the sender delivers.
 *
 * @param enabled whether Web Push is on at all (the REST API, the key and the push feed)
 * @param topics topic filters the push feed subscribes to (as a shared subscription);
 * unset, the feed's own herald.feed.topics
 * @param shareGroup the shared subscription group, the same on every Herald instance
 * behind one broker, so that each message is pushed once
 * @param allowedEndpoints URL patterns a subscription's endpoint must match, where * is
 * any text within one host label or path segment and ** any rest of the path; anything
 * else is refused and never fetched; unset, the push services of the major browsers
 * (https://fcm.googleapis.com/**, https://updates.push.services.mozilla.com/**,
 * https://*.push.apple.com/**, https://*.notify.windows.com/**)
 * @param maxFilters the most topic filters one subscription may have (more: 400)
 * @param maxSubscriptionsPerIdentity the most subscriptions one identity may hold (more:
 * 409)
 * @param indexRefresh how often, at most, the in-memory filter index checks the database
 * for registrations changed on other Herald instances, before it matches a message (0
 * checks before every message)
 * @param ttl how long a push service keeps a message for an offline browser (RFC 8030
 * TTL)
 * @param urgency the RFC 8030 Urgency of each push: very-low, low, normal or high
 * @param concurrency the most push requests in flight at once
 * @param queue the most messages waiting to be pushed; beyond, new ones are dropped
 * @param maxAttempts the most attempts at one push, the first included
 * @param initialBackoff the pause before the first retry (doubling after each)
 * @param maxBackoff the longest pause between retries
 * @param requestTimeout the time a push service has to answer one request
 * @param vapid the VAPID key pair and the contact that push services see
 */
@Validated
@ConfigurationProperties("herald.push")
public record PushProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<String> topics,
		@DefaultValue("herald-push") @Pattern(regexp = "[^/+#]+",
				message = "must not be empty nor contain /, + or #") String shareGroup,
		@Nullable List<String> allowedEndpoints, @DefaultValue("20") @Min(1) @Max(1000) int maxFilters,
		@DefaultValue("20") @Min(1) int maxSubscriptionsPerIdentity,
		@DefaultValue("10s") @NotNull Duration indexRefresh, @DefaultValue("1d") @NotNull Duration ttl,
		@DefaultValue("normal") @Pattern(regexp = "very-low|low|normal|high",
				message = "must be very-low, low, normal or high") String urgency,
		@DefaultValue("8") @Min(1) int concurrency, @DefaultValue("10000") @Min(1) int queue,
		@DefaultValue("4") @Min(1) int maxAttempts, @DefaultValue("1s") @NotNull Duration initialBackoff,
		@DefaultValue("60s") @NotNull Duration maxBackoff, @DefaultValue("10s") @NotNull Duration requestTimeout,
		@DefaultValue @Valid Vapid vapid) {

	/**
	 * The push services of the major browsers (Chrome, Firefox, Safari, Edge), over
	 * https: the default of {@code allowed-endpoints}.
	 */
	public static final List<String> BROWSER_PUSH_SERVICES = List.of("https://fcm.googleapis.com/**",
			"https://updates.push.services.mozilla.com/**", "https://*.push.apple.com/**",
			"https://*.notify.windows.com/**");

	public PushProperties {
		// Set here, not by @DefaultValue: a list of defaults is more than the formatter
		// lays out in a record header.
		if (allowedEndpoints == null || allowedEndpoints.isEmpty()) {
			allowedEndpoints = BROWSER_PUSH_SERVICES;
		}
		TopicFilter.checkSetting("herald.push.topics", topics);
		allowedEndpoints.forEach(EndpointPattern::of);
	}

	/**
	 * The VAPID key pair (RFC 8292) Herald signs its pushes with, and its contact.
	 *
	 * @param publicKey the public key, base64url of the uncompressed P-256 point (65
	 * bytes); with private-key, instead of a generated pair
	 * @param privateKey the private key, base64url of the 32-byte P-256 scalar; a secret
	 * @param subject the contact push services may use about Herald's pushes, a mailto:
	 * or https: URL
	 * @param keyFile where the generated key pair is kept (mode 0600) when none is
	 * configured, reused on later starts
	 */
	public record Vapid(@Nullable String publicKey, @Nullable String privateKey,
			@DefaultValue("mailto:admin@localhost") @Pattern(regexp = "(mailto:|https://).+",
					message = "must be a mailto: or https: URL") String subject,
			@DefaultValue("./data/vapid-keys") @NotNull Path keyFile) {

		public Vapid {
			if ((publicKey == null) != (privateKey == null)) {
				throw new IllegalArgumentException(
						"herald.push.vapid.public-key and herald.push.vapid.private-key must be set together");
			}
		}

	}

}

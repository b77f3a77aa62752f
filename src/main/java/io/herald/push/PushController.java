package io.herald.push;

import java.net.URI;
import java.security.Principal;
import java.util.UUID;

import io.herald.security.Identity;
import io.herald.security.IdentityResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Web Push REST API: the VAPID public key pages subscribe with, and the browsers'
 * push subscriptions, registered and deleted by the identity of the caller's token.
 */
@RestController
@ConditionalOnBooleanProperty(name = "herald.push.enabled", matchIfMissing = true)
class PushController {

	static final String SUBSCRIPTIONS = "/api/push/subscriptions";

	private final VapidKeys keys;

	private final PushSubscriptions subscriptions;

	private final RegistrationValidator validator;

	private final IdentityResolver identities;

	PushController(VapidKeys keys, PushSubscriptions subscriptions, PushProperties properties,
			IdentityResolver identities) {
		this.keys = keys;
		this.subscriptions = subscriptions;
		this.validator = new RegistrationValidator(properties);
		this.identities = identities;
	}

	@Operation(summary = "Herald's VAPID public key",
			description = "The applicationServerKey for PushManager.subscribe: base64url of the uncompressed P-256 point")
	@GetMapping("/api/push/key")
	PublicKey key() {
		return new PublicKey(this.keys.publicKeyBase64Url());
	}

	@Operation(summary = "Register a browser's push subscription",
			description = "The body is the browser's PushSubscription (toJSON()) and the MQTT topic filters whose "
					+ "messages are pushed to it. A new endpoint is answered 201 with its id; an endpoint registered "
					+ "before is updated (keys, filters, owner) and answered 200 with the same id.",
			security = @SecurityRequirement(name = "bearer"),
			responses = { @ApiResponse(responseCode = "200", description = "The endpoint's subscription, updated"),
					@ApiResponse(responseCode = "201", description = "A new subscription"),
					@ApiResponse(responseCode = "400",
							description = "An endpoint outside herald.push.allowed-endpoints, keys that are not a P-256 "
									+ "point and a 16-byte secret, an invalid filter, or more than herald.push.max-filters",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "401", description = "No valid token",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "403", description = "A filter outside the token's subscribe rights",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "409",
							description = "The identity holds herald.push.max-subscriptions-per-identity already",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))) })
	@PostMapping(SUBSCRIPTIONS)
	ResponseEntity<Registration> register(@RequestBody RegistrationRequest request, @Nullable Principal caller) {
		Identity identity = this.identities.identify(caller);
		RegistrationValidator.Valid valid = this.validator.check(request, identity.rights(null));
		PushSubscriptions.Registered registered = this.subscriptions.register(identity.subject(), valid.endpoint(),
				valid.p256dh(), valid.auth(), valid.filters());
		UUID id = registered.subscription().id();
		Registration body = new Registration(id);
		if (registered.created()) {
			return ResponseEntity.created(URI.create(SUBSCRIPTIONS + "/" + id)).body(body);
		}
		return ResponseEntity.ok().location(URI.create(SUBSCRIPTIONS + "/" + id)).body(body);
	}

	@Operation(summary = "Delete a push subscription",
			description = "Only the identity that registered it may delete it; for anyone else it does not exist.",
			security = @SecurityRequirement(name = "bearer"),
			responses = { @ApiResponse(responseCode = "204", description = "Deleted"),
					@ApiResponse(responseCode = "401", description = "No valid token",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))),
					@ApiResponse(responseCode = "404", description = "No such subscription of this identity",
							content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
									schema = @Schema(implementation = ProblemDetail.class))) })
	@DeleteMapping(SUBSCRIPTIONS + "/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id, @Nullable Principal caller) {
		if (!this.subscriptions.delete(this.identities.identify(caller).subject(), id)) {
			throw new SubscriptionNotFoundException(id);
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * Herald's VAPID public key.
	 *
	 * @param publicKey base64url of the uncompressed P-256 point
	 */
	record PublicKey(String publicKey) {

	}

	/**
	 * A registered subscription.
	 *
	 * @param id its id, for deleting it
	 */
	record Registration(UUID id) {

	}

	/** No subscription with this id for this identity. */
	static final class SubscriptionNotFoundException extends RuntimeException {

		SubscriptionNotFoundException(UUID id) {
			super("No push subscription " + id + " of this identity");
		}

	}

}

package io.herald.security;

import java.util.List;

import io.herald.relay.RelayProperties;
import io.herald.system.MetricsProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security for the web server: bearer JWTs on the REST API and the actuator, the
 * page, its assets, health and the {@code /mqtt} handshake open (MQTT CONNECT carries the
 * relay's token), every problem answered as an RFC 9457 problem detail.
 *
 * <p>
 * Public so that web slices of other features can import it and test their controllers
 * behind the real rules.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties({ SecurityProperties.class, RelayProperties.class, MetricsProperties.class })
public class SecurityConfiguration {

	/**
	 * The authority of tokens whose rights cover every topic: the actuator and health
	 * details.
	 */
	static final String ADMIN = "HERALD_ADMIN";

	private static final String ENABLED = "herald.security.enabled";

	/** The feed's event stream. */
	private static final String STREAM = "/api/news/stream";

	@Bean
	@ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
	SigningSecret heraldSigningSecret(SecurityProperties properties) {
		return SigningSecret.of(properties);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
	JwtDecoder heraldJwtDecoder(SecurityProperties properties, SigningSecret secret) {
		return TokenDecoders.create(properties.jwt(), secret.value());
	}

	@Bean
	@ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
	AdminTokenLog heraldAdminTokenLog(SigningSecret secret, SecurityProperties properties,
			ObjectProvider<ServerProperties> server) {
		ServerProperties serverProperties = server.getIfAvailable();
		return new AdminTokenLog(secret, properties.adminToken().validity(),
				(serverProperties != null) ? serverProperties.getSsl() : null);
	}

	@Bean
	IdentityResolver identityResolver(SecurityProperties properties, ObjectProvider<JwtDecoder> decoder) {
		return new IdentityResolver(properties, decoder.getIfAvailable());
	}

	@Bean
	SecurityFilterChain heraldSecurityFilterChain(HttpSecurity http, SecurityProperties properties,
			RelayProperties relay, MetricsProperties metrics, ObjectProvider<JwtDecoder> decoder) throws Exception {
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// Bearer tokens are not sent by browsers on their own, so requests carrying
			// them need no CSRF token.
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"))
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable);
		if (!properties.enabled()) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}
		SecurityProblems problems = new SecurityProblems();
		http.authorizeHttpRequests((requests) -> {
			requests.requestMatchers("/", "/index.html", "/app/**", "/webjars/**", "/favicon.*", "/error")
				.permitAll()
				// The page's service worker, served at the root so that its scope is the
				// page.
				.requestMatchers(HttpMethod.GET, "/push-worker.js")
				.permitAll()
				// The WebSocket handshake: the token comes in MQTT CONNECT, checked by
				// the relay.
				.requestMatchers(relay.path())
				.permitAll()
				.requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
				.permitAll()
				// The API's description: it describes, it does not act.
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
				.permitAll()
				// The VAPID public key: public information, which pages need before they
				// subscribe.
				.requestMatchers(HttpMethod.GET, "/api/push/key")
				.permitAll();
			if (metrics.publicAccess()) {
				requests.requestMatchers("/actuator/prometheus").permitAll();
			}
			if (properties.anonymous().enabled()) {
				// Answered with the items the caller's rights cover, anonymous ones
				// without a token.
				requests.requestMatchers(HttpMethod.GET, "/api/news", STREAM).permitAll();
			}
			// Push subscriptions belong to the token's identity: never anonymous.
			requests.requestMatchers("/api/news", "/api/news/**", "/api/push/**")
				.authenticated()
				// The actuator, and anything not listed above, is the admin's.
				.anyRequest()
				.hasAuthority(ADMIN);
		})
			.oauth2ResourceServer((server) -> server.bearerTokenResolver(bearerTokens())
				.jwt((jwt) -> jwt.decoder(decoder.getObject()).jwtAuthenticationConverter(authenticationConverter()))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return http.build();
	}

	/**
	 * The bearer token of a request: from its {@code Authorization} header, or, for the
	 * event stream only, from an {@code access_token} query parameter, since
	 * {@code EventSource} cannot set headers.
	 */
	static BearerTokenResolver bearerTokens() {
		DefaultBearerTokenResolver headers = new DefaultBearerTokenResolver();
		DefaultBearerTokenResolver stream = new DefaultBearerTokenResolver();
		stream.setAllowUriQueryParameter(true);
		RequestMatcher streamRequests = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, STREAM);
		return (request) -> (streamRequests.matches(request) ? stream : headers).resolve(request);
	}

	/** Grants {@value #ADMIN} to tokens whose rights cover every topic. */
	static JwtAuthenticationConverter authenticationConverter() {
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter((jwt) -> admin(Identity.of(jwt).rights(null)));
		return converter;
	}

	private static List<GrantedAuthority> admin(TopicRights rights) {
		return rights.coversEverything() ? List.of(new SimpleGrantedAuthority(ADMIN)) : List.of();
	}

}

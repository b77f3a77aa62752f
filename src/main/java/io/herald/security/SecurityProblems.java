package io.herald.security;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers requests the filter chain refuses as RFC 9457 problem details: 401 with the
 * bearer challenge of RFC 6750 ({@code error="invalid_token"} when a token was
 * presented), 403 when the token lacks the authority.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

	private static final JacksonJsonHttpMessageConverter json = new JacksonJsonHttpMessageConverter();

	private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		this.challenge.commence(request, response, ex);
		String detail = (ex instanceof OAuth2AuthenticationException oauth && oauth.getError().getDescription() != null)
				? oauth.getError().getDescription() : "A bearer token is required (Authorization: Bearer <token>)";
		write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		this.denied.handle(request, response, ex);
		write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
				"The token does not grant access to " + request.getRequestURI() + ": it needs the authority "
						+ SecurityConfiguration.ADMIN + ", which tokens whose rights cover every topic (#) have");
	}

	private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
			String detail) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		// As Spring MVC's own problem details do.
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(status.value());
		json.write(problem, MediaType.APPLICATION_PROBLEM_JSON, new ServletServerHttpResponse(response));
	}

}

package io.herald.feed;

import java.util.List;
import java.util.Map;

import io.herald.feed.NewsQueryController.InvalidQueryException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns bad queries to the feed's API into RFC 9457 problem details that name the
 * parameter, and a refused event stream into its 403 or 503.
 */
@RestControllerAdvice(assignableTypes = { NewsQueryController.class, NewsStreamController.class })
class FeedProblemHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail invalidQuery(InvalidQueryException ex) {
		return badParameter(ex.parameter(), ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail forbidden(NewsStreamController.StreamForbiddenException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, ex.getMessage());
		problem.setTitle("Forbidden");
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unavailable(NewsStreams.UnavailableException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "5")
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage()));
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String parameter = (ex.getPropertyName() != null) ? ex.getPropertyName() : "parameter";
		return ResponseEntity.status(HttpStatus.BAD_REQUEST)
			.body(badParameter(parameter, parameter + " must be a whole number"));
	}

	private static ProblemDetail badParameter(String parameter, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Invalid query parameter");
		problem.setProperty("errors", List.of(Map.of("field", parameter, "message", detail)));
		return problem;
	}

}

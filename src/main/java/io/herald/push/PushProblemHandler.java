package io.herald.push;

import java.util.List;
import java.util.Map;

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
 * Answers the push API's refusals with RFC 9457 problem details naming the field: 400
 * invalid, 403 a filter outside the rights, 404 no such subscription, 409 too many.
 */
@RestControllerAdvice(assignableTypes = PushController.class)
class PushProblemHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail invalid(InvalidRegistrationException ex) {
		return withField(HttpStatus.BAD_REQUEST, "Invalid push subscription", ex.field(), ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail forbidden(RegistrationForbiddenException ex) {
		return withField(HttpStatus.FORBIDDEN, "Forbidden", ex.field(), ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail notFound(PushController.SubscriptionNotFoundException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail tooMany(PushSubscriptions.TooManySubscriptionsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Too many push subscriptions");
		return problem;
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		// A subscription id that is not a UUID names no subscription.
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such push subscription"));
	}

	private static ProblemDetail withField(HttpStatus status, String title, String field, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setProperty("errors", List.of(Map.of("field", field, "message", detail)));
		return problem;
	}

}

package io.herald.publish;

import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers invalid publish requests with RFC 9457 problem details naming the field: 400
 * for invalid input, 403 for a topic the caller may not publish to, 413 for sizes over
 * the limits, 415 for a body that is not JSON.
 */
@RestControllerAdvice(assignableTypes = NewsController.class)
class PublishProblemHandler extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail invalidNews(InvalidNewsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid news");
		problem.setProperty("errors", ex.problems());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail forbidden(NewsForbiddenException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, ex.getMessage());
		problem.setTitle("Forbidden");
		problem.setProperty("errors", List.of(new FieldProblem(ex.field(), ex.getMessage())));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail tooLarge(NewsTooLargeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
		if (ex.field() != null) {
			problem.setProperty("errors", List.of(new FieldProblem(ex.field(), ex.getMessage())));
		}
		return problem;
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		if (cause instanceof NewsTooLargeException tooLarge) {
			// The body passed herald.publish.max-request-size while the JSON parser was
			// reading it.
			return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge));
		}
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
		problem.setTitle("Malformed JSON");
		if (cause instanceof JacksonException jackson) {
			String field = path(jackson);
			if (cause instanceof StreamReadException || field.isEmpty()) {
				problem.setDetail("The body is not valid JSON" + location(jackson.getLocation()) + ": "
						+ jackson.getOriginalMessage());
			}
			else {
				String detail = field + " has the wrong type: " + jackson.getOriginalMessage();
				problem.setTitle("Invalid news");
				problem.setDetail(detail);
				problem.setProperty("errors", List.of(new FieldProblem(field, detail)));
			}
		}
		else {
			problem.setDetail("The body must be JSON: a message object, or an array of them for a batch");
		}
		return ResponseEntity.badRequest().body(problem);
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String location(TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 0) {
			return "";
		}
		return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
	}

}

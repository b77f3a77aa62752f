package io.herald.publish;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Holds publish request bodies to {@code herald.publish.max-request-size} before JSON
 * parsing sees them: a declared length over it is refused unread, and a body of
 * undeclared length (chunked) is cut off where it passes it. Either way the answer is
 * 413, and no oversized body is ever held in memory.
 */
@ControllerAdvice(assignableTypes = NewsController.class)
@EnableConfigurationProperties(PublishProperties.class)
class PublishRequestSizeLimit extends RequestBodyAdviceAdapter {

	private final long maxBytes;

	PublishRequestSizeLimit(PublishProperties properties) {
		this.maxBytes = properties.maxRequestSize().toBytes();
	}

	@Override
	public boolean supports(MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		long declared = message.getHeaders().getContentLength();
		if (declared > this.maxBytes) {
			throw tooLarge("The request body is " + declared + " bytes");
		}
		InputStream body = new Limited(message.getBody());
		HttpHeaders headers = message.getHeaders();
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return body;
			}

			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}

		};
	}

	private NewsTooLargeException tooLarge(String body) {
		return new NewsTooLargeException(null,
				body + ", more than herald.publish.max-request-size (" + this.maxBytes + " bytes)");
	}

	/** Counts what is read and fails once more than the limit has arrived. */
	private final class Limited extends FilterInputStream {

		private long count;

		Limited(InputStream body) {
			super(body);
		}

		@Override
		public int read() throws IOException {
			int next = super.read();
			if (next >= 0) {
				counted(1);
			}
			return next;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = super.read(buffer, offset, length);
			if (read > 0) {
				counted(read);
			}
			return read;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(n);
			counted(skipped);
			return skipped;
		}

		private void counted(long bytes) {
			this.count += bytes;
			if (this.count > PublishRequestSizeLimit.this.maxBytes) {
				throw tooLarge("The request body is larger");
			}
		}

	}

}

package io.herald.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document of Herald's REST API ({@code /v3/api-docs}, Swagger UI at
 * {@code /swagger-ui.html}): the endpoints come from the controllers and their
 * annotations, the bearer scheme from here.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

	/** Name of the security scheme the operations refer to. */
	static final String BEARER = "bearer";

	@Bean
	OpenAPI heraldOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Herald")
				.description("Publish news to MQTT subscribers (browsers relayed by Herald, and any other MQTT client) "
						+ "and read what the feed received. Errors are RFC 9457 problem details.")
				.version("v1")
				.license(new License().name("Apache-2.0")))
			.components(new Components().addSecuritySchemes(BEARER,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.bearerFormat("JWT")
						.description("A JWT signed with herald.security.jwt.secret (HS256) or by a key of "
								+ "herald.security.jwt.jwk-set-uri; its acl claim holds the topic rights.")));
	}

}

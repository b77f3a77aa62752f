package io.herald.system;

import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Serves https/wss out of the box: when TLS is on and no certificate is configured,
 * points Spring Boot's server SSL at a self-signed certificate generated on first start.
 */
public class SelfSignedCertificateEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	private static final String[] CERTIFICATE_PROPERTIES = { "server.ssl.bundle", "server.ssl.key-store",
			"server.ssl.certificate" };

	private final Log logger;

	public SelfSignedCertificateEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(SelfSignedCertificateEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("server.ssl.enabled", Boolean.class, false)) {
			return;
		}
		for (String property : CERTIFICATE_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return;
			}
		}
		TlsProperties tls = Binder.get(environment).bindOrCreate("herald.tls", TlsProperties.class);
		SelfSignedCertificate.Result result = SelfSignedCertificate.obtain(tls.selfSignedDirectory());
		SelfSignedCertificate files = result.files();
		if (result.generated()) {
			this.logger.info("Generated a self-signed certificate for localhost in " + files.certificate().getParent()
					+ "; configure a real one for production (see README, TLS)");
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("heraldSelfSignedCertificate",
					Map.of("server.ssl.certificate", "file:" + files.certificate().toAbsolutePath(),
							"server.ssl.certificate-private-key", "file:" + files.privateKey().toAbsolutePath())));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}

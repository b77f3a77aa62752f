package io.herald.system;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Herald keeps the self-signed certificate it generates when TLS is on and no
 * certificate is configured.
 *
 * @param selfSignedDirectory folder holding localhost.crt and localhost.key
 */
@ConfigurationProperties("herald.tls")
public record TlsProperties(@DefaultValue("./data/tls") Path selfSignedDirectory) {
}

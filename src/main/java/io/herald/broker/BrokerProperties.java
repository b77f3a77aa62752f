package io.herald.broker;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the MQTT broker is: the embedded one, or an external one named by URL.
 *
 * @param embedded whether to start the embedded broker in this process
 * @param embeddedPort TCP port of the embedded broker (0 picks a free port)
 * @param embeddedAddress the address the embedded broker listens on: loopback, so that
 * only Herald reaches it, unless set otherwise (0.0.0.0 in a container whose other
 * containers publish to it)
 * @param url broker URL (tcp://host:port or ssl://host:port); defaults to the embedded
 * broker
 * @param failoverUrls further broker URLs, tried in order when the one before cannot be
 * reached
 * @param connectTimeout how long to wait for a TCP connection to the broker
 * @param healthTimeout how long the health probe waits for the broker's CONNACK
 * @param connackTimeout how long the feed and the REST publisher wait for the broker's
 * CONNACK on each connection attempt before they give it up and retry
 * @param ioThreads event loop threads shared by the relay listener and every broker
 * connection (0: one per available core)
 * @param username the user name Herald presents to the broker for every relayed browser
 * (the browser's own credentials never reach it), or none
 * @param password the password that goes with username
 */
@Validated
@ConfigurationProperties("herald.broker")
public record BrokerProperties(@DefaultValue("true") boolean embedded,
		@DefaultValue("1883") @Min(0) @Max(65535) int embeddedPort,
		@DefaultValue("127.0.0.1") @NotNull InetAddress embeddedAddress, URI url, @DefaultValue List<URI> failoverUrls,
		@DefaultValue("5s") @NotNull Duration connectTimeout, @DefaultValue("3s") @NotNull Duration healthTimeout,
		@DefaultValue("10s") @NotNull Duration connackTimeout, @DefaultValue("0") @Min(0) int ioThreads,
		String username, String password) {
}

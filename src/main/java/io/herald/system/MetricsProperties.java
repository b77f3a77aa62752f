package io.herald.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * Who may read Herald's metrics at {@code /actuator/prometheus}.
 *
 * @param publicAccess true lets anyone scrape the metrics (a scraper inside a trusted
 * network); otherwise they need a token whose rights cover every topic (#)
 */
@ConfigurationProperties("herald.metrics")
public record MetricsProperties(@Name("public") @DefaultValue("false") boolean publicAccess) {
}

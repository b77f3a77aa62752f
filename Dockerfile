# syntax=docker/dockerfile:1

# Build: the Maven wrapper on a JDK, dependencies cached in their own layer; the jar is then
# split into Spring Boot's layers, so that a code change rebuilds only the last one.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY application.yml ./
COPY frontend frontend
COPY src src
RUN ./mvnw -B -q package -DskipTests \
    && cp target/herald-*.jar herald.jar \
    && java -Djarmode=tools -jar herald.jar extract --layers --destination /layers

# Run: a JRE, an unprivileged user, Boot's layers from the least to the most often changed.
FROM eclipse-temurin:17-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin herald \
    && mkdir -p /app/data \
    && chown herald /app/data
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY application.yml ./
USER herald
# https/wss (page, REST, health, /mqtt), the relay listener (wss for browsers) and the embedded broker,
# which listens on the container's loopback unless HERALD_BROKER_EMBEDDED_ADDRESS=0.0.0.0.
EXPOSE 8443 8444 1883
# The generated certificate and token secret (herald.security.data-directory, herald.tls.self-signed-directory),
# the VAPID key pair (herald.push.vapid.key-file) and the H2 database of push subscriptions (./data/herald).
VOLUME /app/data
# Liveness only: a broker outage makes Herald unready, not dead. -k: the check talks to itself on
# loopback, under whatever certificate Herald serves.
ENV HERALD_HEALTH_URL=https://localhost:8443/actuator/health/liveness
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsk "$HERALD_HEALTH_URL" || exit 1
# The heap follows the container's memory limit; an OutOfMemoryError ends the process, so that the
# orchestrator restarts it instead of leaving it half-working.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "herald.jar"]

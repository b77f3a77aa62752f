# Build: Maven wrapper on a JDK, dependencies cached in their own layer.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY application.yml ./
COPY frontend frontend
COPY src src
RUN ./mvnw -B -q package -DskipTests

# Run: a JRE, an unprivileged user, the jar and the one configuration file.
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app herald \
    && mkdir -p /app/data \
    && chown herald /app/data
WORKDIR /app
COPY --from=build /src/target/herald-*.jar herald.jar
COPY application.yml ./
USER herald
# https/wss (page, REST, health, /mqtt) and the relay listener (wss for browsers); the embedded broker
# listens on the container's loopback only: point herald.broker.url at a broker service
# (HERALD_BROKER_EMBEDDED=false) to publish from outside.
EXPOSE 8443 8444
VOLUME /app/data
ENTRYPOINT ["java", "-jar", "herald.jar"]

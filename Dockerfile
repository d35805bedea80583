# syntax=docker/dockerfile:1
# e2b-operator image: `docker build -t ghcr.io/neuraltrader/e2b-operator:0.1.0 .`
#
# Build stage: the shaded jar. Tests do not run here (`make test` runs them, with python3 and the test tools
# this image has no use for).
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# The POM alone first, so that a source change does not re-resolve dependencies; the cache mount keeps the
# local repository across builds without putting it in a layer.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q dependency:resolve
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package

# Runtime stage: a JRE and the jar. No python3: in cluster mode strategy code runs inside E2B sandboxes.
FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="e2b-operator" \
      org.opencontainers.image.description="Kubernetes operator for E2B sandboxes, sandbox pools, trading agents and scheduled deployments" \
      org.opencontainers.image.version="0.1.0"
# A named user for uid 65532 (the conventional "nonroot" id, also what the Helm chart enforces): the JVM
# resolves user.home from /etc/passwd and warns without an entry.
RUN groupadd --system --gid 65532 nonroot \
 && useradd --system --uid 65532 --gid 65532 --home-dir /app --no-create-home --shell /usr/sbin/nologin nonroot
# Owned by root and only readable by the operator user: the process cannot replace its own code.
COPY --from=build --chown=root:root --chmod=0444 /src/target/e2b-operator.jar /app/e2b-operator.jar
WORKDIR /app
USER 65532:65532
# Heap sized from the container limit; the chart overrides JAVA_TOOL_OPTIONS with its own value.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
# /metrics, /healthz and /readyz (METRICS_PORT).
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/e2b-operator.jar", "--cluster"]

# The Tributary service image. Build from the repository root:
#   docker build -t registry.example.com/tributary:0.1.0-SNAPSHOT .
# The first stage builds api/target/tributary.jar with ./mvnw package; the runtime image has a JRE and the jar only.
# No Docker engine runs in CI, so this file is not built there: the chart's tests run the same jar
# with this file's ENTRYPOINT and JAVA_TOOL_OPTIONS (helm/src/test/.../ImageRecipe.java reads them).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl api -am package

FROM eclipse-temurin:17-jre
# A fixed numeric user, so Kubernetes' runAsNonRoot can check it; the chart runs the pods as it.
RUN groupadd --system --gid 10001 tributary \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin tributary
WORKDIR /app
COPY --from=build /src/api/target/tributary.jar /app/tributary.jar
USER 10001:10001
# The heap follows the container's memory limit; an out-of-memory JVM exits and is restarted
# rather than limping on.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# No HEALTHCHECK: the image has no HTTP client, and on Kubernetes the chart's probes call
# /health/liveness and /health/readiness (Kubernetes ignores HEALTHCHECK anyway).
ENTRYPOINT ["java", "-jar", "/app/tributary.jar"]

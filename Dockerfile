# kubeqpu: one image, three roles (operator | simulator | local). The Helm chart and config/manager run "operator".
#   ./mvnw package -DskipTests && docker build -t kubeqpu:0.1.0-SNAPSHOT .
# (the tag the chart, config/manager and the operator default to: the project version; ImageTagTest)
# Build the jar first: this file only copies target/quarkus-app/ (the Quarkus fast-jar layout).
FROM eclipse-temurin:17-jre

ENV LANG=C.UTF-8 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -Djava.io.tmpdir=/tmp"

# Non-root, numeric (runAsNonRoot checks it): UID/GID 185 as in the Red Hat OpenJDK images.
RUN groupadd --system --gid 185 kubeqpu \
 && useradd --system --uid 185 --gid 185 --home-dir /deployments --shell /usr/sbin/nologin kubeqpu \
 && mkdir -p /deployments && chown 185:185 /deployments

WORKDIR /deployments
# Layered the Quarkus way: dependencies change least, the application most.
COPY --chown=185:185 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:185 target/quarkus-app/*.jar /deployments/
COPY --chown=185:185 target/quarkus-app/app/ /deployments/app/
COPY --chown=185:185 target/quarkus-app/quarkus/ /deployments/quarkus/

USER 185:185
# Operator: /q/health, /q/metrics on 8080. Simulator role: its HTTP API on KUBEQPU_SIMULATOR_PORT (8080).
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
CMD ["operator"]

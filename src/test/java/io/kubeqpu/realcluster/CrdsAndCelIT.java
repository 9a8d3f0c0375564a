package io.kubeqpu.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeqpu.local.apiserver.CelRulesTest;
import io.kubeqpu.local.apiserver.CelRulesTest.RuleCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs on kube-apiserver: every one is accepted (structural schema, CEL compiled within the cost budget) and
 * Established; every case of the embedded validator's CEL table ({@link CelRulesTest}) gets the same verdict from
 * the real API server as from the embedded one.
 */
@RealCluster
class CrdsAndCelIT {
    final ControlPlane cp = ControlPlane.get();

    @Test
    void everyCrdIsAcceptedAndEstablished() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(Path.of("crds"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
        }
        assertThat(files).hasSize(5);
        var crds = cp.admin.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .filter(c -> c.getSpec().getGroup().equals("quantum.kubeqpu.io")).toList();
        assertThat(crds).hasSize(files.size()).allSatisfy(c -> {
            assertThat(RealCluster.Extension.established(c)).as(c.getMetadata().getName() + " Established").isTrue();
            assertThat(c.getStatus().getConditions()).as(c.getMetadata().getName())
                    .noneMatch(cond -> cond.getType().equals("NonStructuralSchema") && cond.getStatus().equals("True"));
        });
        // What is applied is what the server keeps: no drift for kubectl diff (or a GitOps tool) to show. (A client-side
        // re-apply still prints "configured": the generated printer columns carry `priority: 0`, which the server
        // drops as a default, so kubectl sends a no-op patch of spec.versions.)
        var diff = cp.kubectl("diff", "-f", "crds/");
        assertThat(diff.exitCode()).as(diff.toString()).isZero();
        // Server-side apply takes the files too (field ownership by kubectl).
        cp.kubectl("apply", "--server-side", "--force-conflicts", "-f", "crds/").ok();
        // kubectl explain reads the published OpenAPI of the CRDs. The API server republishes a CRD's discovery and
        // OpenAPI after an apply, asynchronously: "couldn't find resource" for a moment is what a user would see too.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(cp.kubectl("explain", "quantumjob.spec.maxExecutionTime").ok().stdout())
                        .contains("maxExecutionTime"));
    }

    @Test
    void everyCelCaseGetsTheSameVerdictFromKubeApiserverAsFromTheEmbeddedValidator() {
        List<RuleCase> cases = CelRulesTest.cases().toList();
        List<String> disagreements = new ArrayList<>();
        int verdicts = 0;
        for (RuleCase c : cases) {
            for (boolean passing : new boolean[] {true, false}) {
                ObjectNode object = passing ? c.passing() : c.failing();
                boolean embeddedAdmits = CelRulesTest.admit(c.kind(), object, c.old()).errors().isEmpty();
                Verdict real = real(c, object);
                verdicts++;
                if (embeddedAdmits != real.admitted()) {
                    disagreements.add(c + " [" + (passing ? "passing" : "failing") + " object]: embedded "
                            + (embeddedAdmits ? "admits" : "refuses") + ", kube-apiserver " + real);
                } else if (!passing && !real.message().contains(c.message())) {
                    disagreements.add(c + ": kube-apiserver refuses with another message: " + real);
                }
            }
        }
        System.out.printf("CEL table on kube-apiserver %s: %d cases, %d verdicts, %d disagreements%n", cp.version(),
                cases.size(), verdicts, disagreements.size());
        assertThat(disagreements).as("verdicts that differ between the embedded validator and kube-apiserver").isEmpty();
        assertThat(verdicts).isEqualTo(2 * cases.size()).isGreaterThan(40);
    }

    record Verdict(boolean admitted, String message, List<String> fields) {
        @Override
        public String toString() {
            return admitted ? "admits" : "refuses (" + fields + "): " + message;
        }
    }

    /** The object sent to kube-apiserver: a dry-run create, or for a transition rule a dry-run update of the old one. */
    private Verdict real(RuleCase c, ObjectNode object) {
        var serialization = cp.admin.getKubernetesSerialization();
        GenericKubernetesResource stored = null;
        try {
            if (c.old() != null) {
                stored = cp.admin.resource(serialization.convertValue(c.old(), GenericKubernetesResource.class)).create();
            }
            GenericKubernetesResource sent = serialization.convertValue(object.deepCopy(), GenericKubernetesResource.class);
            if (stored == null) {
                cp.admin.resource(sent).dryRun().create();
            } else {
                sent.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
                cp.admin.resource(sent).dryRun().update();
            }
            return new Verdict(true, "", List.of());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 422) throw e;
            List<StatusCause> causes = e.getStatus() == null || e.getStatus().getDetails() == null ? List.of()
                    : e.getStatus().getDetails().getCauses();
            return new Verdict(false, e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage(),
                    causes.stream().map(StatusCause::getField).collect(Collectors.toList()));
        } finally {
            if (stored != null) cp.admin.resource(stored).withGracePeriod(0).delete();
        }
    }
}

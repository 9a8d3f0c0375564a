package io.kubeqpu.realcluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class against the JVM's {@link ControlPlane}, with kubeqpu's CRDs applied (kubectl apply -f crds/).
 * Without the binaries the class is skipped, saying how to get them; with {@code -Drealcluster.required=true}
 * (CI) it fails instead, so a broken build of the binaries cannot pass as "skipped".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RealCluster.Extension.class)
public @interface RealCluster {

    final class Extension implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            ControlPlane cp = ControlPlane.get();
            if (cp == null) {
                if (Boolean.getBoolean("realcluster.required")) throw new IllegalStateException(ControlPlane.unavailable());
                Assumptions.abort("skipped: " + ControlPlane.unavailable());
            }
            applyCrds(cp);
        }

        /** kubectl apply -f crds/, then waits until every CRD is Established (names accepted, schema structural). */
        static void applyCrds(ControlPlane cp) {
            cp.kubectl("apply", "-f", "crds/").ok();
            await().atMost(Duration.ofSeconds(60)).until(() -> cp.admin.apiextensions().v1().customResourceDefinitions()
                    .list().getItems().stream()
                            .filter(c -> c.getSpec().getGroup().equals("quantum.kubeqpu.io"))
                            .filter(Extension::established).count() == 5);
        }

        static boolean established(CustomResourceDefinition crd) {
            return crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
        }
    }

}

package io.kubeqpu.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/install.md tells what the chart renders, and one image tag is used everywhere a user meets it. */
class InstallDocTest {

    static String projectVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>kubeqpu</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void oneImageTagEverywhere() throws Exception {
        String version = projectVersion();
        String image = "kubeqpu:" + version;
        assertThat(Files.readString(Path.of("helm/kubeqpu/Chart.yaml"))).contains("appVersion: \"" + version + "\"");
        assertThat(Files.readString(Path.of("config/manager/kustomization.yaml"))).contains("newTag: " + version);
        assertThat(Files.readString(Path.of("config/manager/manager.yaml"))).contains("value: \"" + image + "\"");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("docker build -t " + image + " .");
        assertThat(Files.readString(Path.of("src/main/java/io/kubeqpu/config/KubeqpuConfig.java"))).contains("@WithDefault(\"" + image + "\")");
        String install = Files.readString(Path.of("docs/install.md"));
        assertThat(install).contains("docker build -t " + image + " .");
        // Every image the install guide names is this one (or a registry copy of it).
        Matcher m = Pattern.compile("\\bkubeqpu:([A-Za-z0-9._-]+)").matcher(install);
        while (m.find()) assertThat(m.group(1)).as(m.group()).isEqualTo(version);
        assertThat(RenderedChart.withDefaults().one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(image);
    }

    @Test
    void theDocsNameTheRolloutStrategyThatRenders() throws Exception {
        String install = Files.readString(Path.of("docs/install.md"));
        String withElection = RenderedChart.withDefaults().one(Deployment.class).getSpec().getStrategy().getType();
        String without = RenderedChart.with(Map.of("leaderElection.enabled", false)).one(Deployment.class).getSpec().getStrategy().getType();
        assertThat(withElection).isEqualTo("RollingUpdate");
        assertThat(without).isEqualTo("Recreate");
        assertThat(install).contains("with leader election\n  (the default) a `RollingUpdate`").contains("`leaderElection.enabled=false`, `Recreate`");
    }

    @Test
    void theDocsHaveUpgradeAndUninstallWithFinalizers() throws Exception {
        String install = Files.readString(Path.of("docs/install.md"));
        assertThat(install).contains("## 5. Upgrade", "kubectl apply --server-side -f crds/", "helm upgrade kubeqpu helm/kubeqpu",
                "## 6. Uninstall", "finalizer", "kubectl delete -f crds/");
    }
}

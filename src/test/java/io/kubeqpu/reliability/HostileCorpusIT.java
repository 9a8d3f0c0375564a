package io.kubeqpu.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubeqpu.realcluster.ControlPlane;
import io.kubeqpu.realcluster.RealCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The generated hostile cases that are refused at create ({@link HostileCases}: out-of-range and poison numbers,
 * wrong types, size bombs, bad names) sent to kube-apiserver with the checked-in CRDs (server-side dry run): each
 * must be refused naming the field, as the embedded API server does in {@link BadInputCorpusTest}. A number past
 * float64 (1e309) is refused by kube-apiserver's JSON decoder with 400 rather than 422.
 */
@RealCluster
class HostileCorpusIT {

    @Test
    void kubeApiserverRefusesEveryGeneratedCaseNamingTheField() {
        KubernetesClient admin = ControlPlane.get().admin;
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> verdicts = new TreeMap<>();
        int sent = 0;
        for (HostileCases.Case c : HostileCases.all()) {
            if (c.edit() != null) continue;
            sent++;
            GenericKubernetesResource r = admin.getKubernetesSerialization().convertValue(c.object(), GenericKubernetesResource.class);
            var ops = admin.genericKubernetesResources(r.getApiVersion(), r.getKind());
            try {
                (c.kind().equals("QuantumBackend") ? ops.resource(r) : ops.inNamespace("default").resource(r)).dryRun().create();
                disagreements.add(c.name() + ": admitted");
            } catch (KubernetesClientException e) {
                String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
                boolean nonFinite = c.object().toString().contains("1E+309") || c.object().toString().contains("1e309");
                verdicts.merge(String.valueOf(e.getCode()), 1, Integer::sum);
                if (nonFinite ? e.getCode() != 400 && e.getCode() != 422 : e.getCode() != 422) disagreements.add(c.name() + ": HTTP " + e.getCode() + " " + message);
                else if (!nonFinite && !message.contains(c.mention())) disagreements.add(c.name() + ": refused without naming " + c.mention() + ": " + message);
            }
        }
        System.out.printf("HostileCorpusIT on kube-apiserver %s: %d generated cases, verdicts %s, %d disagreements%n",
                admin.getKubernetesVersion().getGitVersion(), sent, verdicts, disagreements.size());
        assertThat(disagreements).as("generated hostile cases kube-apiserver does not refuse naming the field").isEmpty();
    }
}

package io.kubeqpu.realcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeqpu.bench.OperatorBench;
import java.net.InetAddress;

/**
 * {@link OperatorBench} on kube-apiserver (etcd, RBAC, admission, watch cache: {@link ControlPlane}) beside the
 * embedded API server, in one run: the operator in-process (as in OperatorBench) with instant QPUs. Prints figures;
 * never fails on timing. Run after hack/kube-binaries.sh:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.kubeqpu.realcluster.RealApiServerBench [-Dexec.args="2000"]}
 */
public final class RealApiServerBench {
    private RealApiServerBench() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int latencySamples = 200;
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        try {
            KubernetesMockServer server = io.kubeqpu.local.apiserver.EmbeddedApiServer.create();
            server.init(InetAddress.getLoopbackAddress(), 0);
            KubernetesClient embedded = server.createClient();
            try {
                OperatorBench.measure("embedded API server", embedded, total, latencySamples);
            } finally {
                embedded.close();
                server.destroy();
            }
            ControlPlane cp = ControlPlane.get();
            if (cp == null) throw new IllegalStateException(ControlPlane.unavailable());
            RealCluster.Extension.applyCrds(cp);
            OperatorBench.measure("kube-apiserver " + cp.version(), cp.admin, total, latencySamples);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}

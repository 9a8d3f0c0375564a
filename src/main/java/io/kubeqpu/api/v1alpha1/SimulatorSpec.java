package io.kubeqpu.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The simulator pod(s) standing in for the QPU hardware. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SimulatorSpec {
    @JsonPropertyDescription("Container image of the simulator pod; empty = the operator's own image in its simulator role.")
    private String image;

    @JsonPropertyDescription("Image pull policy of the simulator container (Always, IfNotPresent, Never).")
    @Pattern("^(Always|IfNotPresent|Never)$")
    private String imagePullPolicy;

    @JsonPropertyDescription("1 runs the backend's QPU as one simulator pod; 0 takes the backend offline. A backend is one QPU: a second pod behind its Service would be an independent QPU that knows none of the first one's jobs.")
    @Default("1")
    @Min(0)
    @Max(1)
    private Integer replicas = 1;

    @JsonPropertyDescription("CPU/memory requests and limits of the simulator container.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Node labels the simulator pods must match.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the simulator pods.")
    private List<Toleration> tolerations;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(String imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }
}

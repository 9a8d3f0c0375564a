package io.kubeqpu.install;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One RBAC permission: (apiGroup, resource[/subresource], verb). {@link #of(String, String)} maps an HTTP request
 * the way the API server's authorizer does (GET with a name = get, without = list, with watch=true = watch, ...).
 */
record ApiAccess(String group, String resource, String verb) implements Comparable<ApiAccess> {

    static ApiAccess of(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String[] s = path.replaceAll("^/+", "").split("/");
        String group;
        int i;
        if (s[0].equals("api")) { // /api/v1/...
            group = "";
            i = 2;
        } else if (s[0].equals("apis")) { // /apis/{group}/{version}/...
            group = s[1];
            i = 3;
        } else {
            throw new IllegalArgumentException("not a resource path: " + pathAndQuery);
        }
        if (s.length > i + 2 && s[i].equals("namespaces")) i += 2; // namespaced: skip namespaces/{ns}
        if (s.length <= i) throw new IllegalArgumentException("no resource in " + pathAndQuery);
        String resource = s[i];
        boolean named = s.length > i + 1;
        if (s.length > i + 2) resource += "/" + s[i + 2];
        boolean watch = query.matches("(^|.*&)watch=(true|1)(&.*|$)");
        String verb = switch (method.toUpperCase()) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("unexpected method " + method);
        };
        return new ApiAccess(group, resource, verb);
    }

    /** Whether one of these rules grants this access (exact names only: the chart uses no wildcards). */
    boolean grantedBy(Collection<PolicyRule> rules) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                && r.getVerbs().contains(verb));
    }

    /** Every access the rules grant, one per (group, resource, verb). */
    static Set<ApiAccess> expand(Collection<PolicyRule> rules) {
        Set<ApiAccess> out = new TreeSet<>();
        for (PolicyRule r : rules)
            for (String g : r.getApiGroups())
                for (String res : r.getResources())
                    for (String v : r.getVerbs()) out.add(new ApiAccess(g, res, v));
        return out;
    }

    static List<String> wildcards(Collection<PolicyRule> rules) {
        return rules.stream().flatMap(r -> java.util.stream.Stream.of(r.getApiGroups(), r.getResources(), r.getVerbs(),
                        r.getResourceNames() == null ? List.<String>of() : r.getResourceNames(),
                        r.getNonResourceURLs() == null ? List.<String>of() : r.getNonResourceURLs()))
                .flatMap(List::stream).filter(x -> x.contains("*")).toList();
    }

    @Override
    public int compareTo(ApiAccess o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
    }
}

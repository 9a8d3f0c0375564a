/**
 * The embedded default: an in-process Kubernetes API (the Fabric8 mock server in CRUD mode), the operator
 * and in-process QPUs, wired together to run {@code config/samples/}. Decides nothing; nothing imports it.
 */
package io.kubeqpu.local;

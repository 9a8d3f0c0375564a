{{/* Chart name, truncated to 63 chars (DNS label). */}}
{{- define "kubeqpu.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart unless the release name already contains the chart name. */}}
{{- define "kubeqpu.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kubeqpu.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "kubeqpu.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kubeqpu
{{- end }}

{{- define "kubeqpu.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubeqpu.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The operator pods. */}}
{{- define "kubeqpu.operatorSelectorLabels" -}}
{{ include "kubeqpu.selectorLabels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{/* The simulator (QPU stand-in) pods. */}}
{{- define "kubeqpu.simulatorSelectorLabels" -}}
{{ include "kubeqpu.selectorLabels" . }}
app.kubernetes.io/component: simulator
{{- end }}

{{- define "kubeqpu.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kubeqpu.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kubeqpu.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The operator's rules on the cluster-scoped QuantumBackend (always in its ClusterRole).
*/}}
{{- define "kubeqpu.backendRules" -}}
# Informer (list/watch), reads, and finalizers added/removed with JSON patches (SSA is off).
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantumbackends"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantumbackends/status"]
  verbs: ["patch"]
# Simulator Deployments/Services set blockOwnerDeletion on their QuantumBackend: update on its finalizers is needed
# where OwnerReferencesPermissionEnforcement is on (OpenShift, hardened clusters).
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantumbackends/finalizers"]
  verbs: ["update"]
{{- end }}

{{/*
The operator's rules on the namespaced kinds and result ConfigMaps (ClusterRole, or a Role per watched namespace).
*/}}
{{- define "kubeqpu.namespacedRules" -}}
# Informers (list/watch) and reads; finalizers and the workload labels on jobs are JSON/merge patches.
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantumjobs", "quantumbatches", "quantumsessions"]
  verbs: ["get", "list", "watch", "patch"]
# QuantumInstance has no cleanup, hence no finalizer to patch.
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantuminstances"]
  verbs: ["get", "list", "watch"]
# The batch reconciler creates the QuantumJobs of its inline templates.
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantumjobs"]
  verbs: ["create"]
# StatusRecorder, the one status writer, patches the status subresource.
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantuminstances/status", "quantumjobs/status", "quantumbatches/status", "quantumsessions/status"]
  verbs: ["patch"]
# Owner references with blockOwnerDeletion (result ConfigMap -> QuantumJob, batch job -> QuantumBatch) need
# update on the owner's finalizers where OwnerReferencesPermissionEnforcement is on.
- apiGroups: ["quantum.kubeqpu.io"]
  resources: ["quantumjobs/finalizers", "quantumbatches/finalizers"]
  verbs: ["update"]
# ResultStore: one result ConfigMap per job, owned by the job; a repeated save replaces it (get + update).
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "create", "update"]
{{- end }}

{{/*
Events: created, and patched when the same Event repeats (count, lastTimestamp).
*/}}
{{- define "kubeqpu.eventRules" -}}
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

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

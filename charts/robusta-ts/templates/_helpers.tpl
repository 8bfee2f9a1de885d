{{/* Names and labels; `robusta manifests` makes the same ones (runtime/src/manifests/names.ts). */}}

{{- define "robusta-ts.runnerName" -}}
{{- printf "%s-runner" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "robusta-ts.forwarderName" -}}
{{- printf "%s-forwarder" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "robusta-ts.configSecretName" -}}
{{- printf "%s-runner-config" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* Cluster-scoped names carry the namespace, so two releases of one name do not collide. */}}
{{- define "robusta-ts.clusterRoleName" -}}
{{- printf "%s-%s-runner" .Release.Namespace .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "robusta-ts.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default (include "robusta-ts.runnerName" .) -}}
{{- end }}

{{- define "robusta-ts.selectorLabels" -}}
app.kubernetes.io/name: robusta-ts
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "robusta-ts.labels" -}}
{{ include "robusta-ts.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: robusta-ts
{{- end }}

{{/* The runner image's entry point (the subcommand comes in args). */}}
{{- define "robusta-ts.command" -}}
command: ["node", "--enable-source-maps", "/app/runner.mjs"]
{{- end }}

{{- define "robusta-ts.image" -}}
{{- if .tag }}{{ printf "%s:%s" .repository .tag }}{{ else }}{{ .repository }}{{ end -}}
{{- end }}

{{/* The runner's configuration file: the runner keys of the values. */}}
{{- define "robusta-ts.runnerConfig" -}}
{{- $config := pick .Values "clusterName" "globalConfig" "sinksConfig" "alertRelabel" "customPlaybooks" "namedCustomPlaybooks" "priorityBuiltinPlaybooks" "builtinPlaybooks" "disabledPlaybooks" -}}
{{- $_ := required "clusterName is required: the cluster's name, shown on every finding" .Values.clusterName -}}
{{- toYaml $config -}}
{{- end }}

{{- define "robusta-ts.probes" -}}
livenessProbe:
  httpGet: {path: /healthz, port: http}
  initialDelaySeconds: 5
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: http}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}

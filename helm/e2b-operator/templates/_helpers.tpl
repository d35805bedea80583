{{/* Chart name, overridable. */}}
{{- define "e2b-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Object name prefix. A release already named after the chart (the usual `helm install e2b-operator ...`) is not
prefixed twice. Truncated to 63 characters because some name fields are DNS labels.
*/}}
{{- define "e2b-operator.fullname" -}}
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

{{- define "e2b-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that never change for the life of a release: Deployment and Service selectors use them. */}}
{{- define "e2b-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "e2b-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "e2b-operator.labels" -}}
helm.sh/chart: {{ include "e2b-operator.chart" . }}
{{ include "e2b-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: e2b-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "e2b-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "e2b-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "e2b-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Two or more replicas without leader election would run two active reconcilers: never allow it. */}}
{{- define "e2b-operator.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/*
The Secret holding the API key. Fails rendering with an actionable message when the chart has neither a key nor
the name of a Secret: an operator without a key would start, then fail every reconcile.
*/}}
{{- define "e2b-operator.apiKeySecretName" -}}
{{- if .Values.e2b.existingSecret }}
{{- .Values.e2b.existingSecret }}
{{- else if .Values.e2b.apiKey }}
{{- printf "%s-api-key" (include "e2b-operator.fullname" .) }}
{{- else }}
{{- fail "e2b-operator needs an E2B API key: set e2b.existingSecret to the name of a Secret holding it (key e2b.existingSecretKey, default \"api-key\"), or set e2b.apiKey and the chart creates the Secret." }}
{{- end }}
{{- end }}

{{/*
The operator's permissions on the resources it reconciles, shared by the ClusterRole (all namespaces) and the
per-namespace Roles (watchNamespaces). Derived from the requests the operator sends (RbacIT fails on a rule that is
missing and on one nothing uses); each rule names its resources and verbs: no wildcards.
*/}}
{{- define "e2b-operator.rules" -}}
# The four kinds: informers (list, watch), reads, and patches of metadata (finalizers, labels, claims).
- apiGroups: ["e2b.neuraltrader.io"]
  resources: ["e2bsandboxes", "sandboxpools", "tradingagents", "e2bdeployments"]
  verbs: ["get", "list", "watch", "patch"]
# Children: pools and agents create E2BSandboxes, deployments create TradingAgents; claims of pool members are
# optimistic-lock updates.
- apiGroups: ["e2b.neuraltrader.io"]
  resources: ["e2bsandboxes", "tradingagents"]
  verbs: ["create", "delete"]
# The template catalog (MCP deploy_e2b_template) instantiates a template with several replicas as a deployment.
- apiGroups: ["e2b.neuraltrader.io"]
  resources: ["e2bdeployments"]
  verbs: ["create"]
- apiGroups: ["e2b.neuraltrader.io"]
  resources: ["e2bsandboxes"]
  verbs: ["update"]
- apiGroups: ["e2b.neuraltrader.io"]
  resources: ["e2bsandboxes/status", "sandboxpools/status", "tradingagents/status", "e2bdeployments/status"]
  verbs: ["update"]
# Children's owner references set blockOwnerDeletion, which needs update on the owner's finalizers.
- apiGroups: ["e2b.neuraltrader.io"]
  resources: ["sandboxpools/finalizers", "tradingagents/finalizers", "e2bdeployments/finalizers"]
  verbs: ["update"]
# Agent state (<agent>-state ConfigMaps, owned by the agent) and custom strategy code, read by name; template
# versions (labelled e2b-template-* ConfigMaps), listed by label by the template catalog.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "create", "update", "delete"]
# Env vars from secretKeyRef and per-resource credentials: only the Secret a resource names, never a list.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# A repeated event bumps the count of the existing one with a merge patch (the client reads it first).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "get", "patch"]
# The MCP server's scale_e2b_deployment: the /scale subresource, read and replaced as kubectl scale does.
- apiGroups: ["e2b.neuraltrader.io"]
  resources: ["e2bdeployments/scale"]
  verbs: ["get", "update"]
{{- end }}

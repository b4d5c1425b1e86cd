{{- define "tributary.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's resource name: the release name, with the chart's name appended unless it is in it. */}}
{{- define "tributary.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "tributary.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tributary.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "tributary.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tributary.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tributary.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "tributary.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "tributary.fullname" .) }}
{{- end }}

{{/* The Secret the hook Job reads: pre-install hooks run before the release's own Secret exists. */}}
{{- define "tributary.migrationSecretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-migrate" (include "tributary.fullname" .)) }}
{{- end }}

{{- define "tributary.appCredentialsSecretName" -}}
{{- .Values.declaredAppCredentials.existingSecret | default (printf "%s-app-credentials" (include "tributary.fullname" .)) }}
{{- end }}

{{/*
The Deployments to render, as a YAML list: one combined role, or an API role and a worker role.
"api" says whether the Service sends it traffic, "worker" whether it executes syncs.
*/}}
{{- define "tributary.roles" -}}
{{- if .Values.roles.split }}
- name: {{ printf "%s-api" (include "tributary.fullname" .) }}
  component: api
  api: true
  worker: false
  replicas: {{ .Values.roles.api.replicas }}
  autoscaling: {{ toJson .Values.roles.api.autoscaling }}
  resources: {{ toJson (.Values.roles.api.resources | default .Values.resources) }}
- name: {{ printf "%s-worker" (include "tributary.fullname" .) }}
  component: worker
  api: false
  worker: true
  replicas: {{ .Values.roles.worker.replicas }}
  autoscaling: {{ toJson .Values.roles.worker.autoscaling }}
  resources: {{ toJson (.Values.roles.worker.resources | default .Values.resources) }}
{{- else }}
- name: {{ include "tributary.fullname" . }}
  component: server
  api: true
  worker: true
  replicas: {{ .Values.replicas }}
  autoscaling: {{ toJson .Values.autoscaling }}
  resources: {{ toJson .Values.resources }}
{{- end }}
{{- end }}

{{/*
Refuses an install or upgrade without what the service cannot start without; `helm lint` of the
default values (which name no database) still renders.
*/}}
{{- define "tributary.checkValues" -}}
{{- if and (or .Release.IsInstall .Release.IsUpgrade) (not .Values.secrets.existingSecret) }}
{{- if not .Values.secrets.databaseUrl }}{{ fail "secrets.databaseUrl is required (or secrets.existingSecret)" }}{{ end }}
{{- if not .Values.secrets.databaseUsername }}{{ fail "secrets.databaseUsername is required (or secrets.existingSecret)" }}{{ end }}
{{- if not .Values.secrets.masterKey }}{{ fail "secrets.masterKey is required (or secrets.existingSecret): openssl rand -base64 32" }}{{ end }}
{{- end }}
{{- if le (int .Values.terminationGracePeriodSeconds) (int .Values.scheduler.shutdownTimeoutSeconds) }}
{{- fail "terminationGracePeriodSeconds must be longer than scheduler.shutdownTimeoutSeconds, or running syncs are killed before they hand their runs back" }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (gt (int .Values.rollingUpdate.maxUnavailable) (int .Values.podDisruptionBudget.maxUnavailable)) }}
{{- fail "rollingUpdate.maxUnavailable must not exceed podDisruptionBudget.maxUnavailable" }}
{{- end }}
{{- end }}

{{/* The Secret's data, shared by the release's Secret and the hook Job's copy. */}}
{{- define "tributary.secretData" -}}
database-url: {{ .Values.secrets.databaseUrl | b64enc | quote }}
database-username: {{ .Values.secrets.databaseUsername | b64enc | quote }}
database-password: {{ .Values.secrets.databasePassword | b64enc | quote }}
{{- if .Values.secrets.migrationUsername }}
migration-username: {{ .Values.secrets.migrationUsername | b64enc | quote }}
migration-password: {{ .Values.secrets.migrationPassword | b64enc | quote }}
{{- end }}
master-key: {{ .Values.secrets.masterKey | b64enc | quote }}
{{- if .Values.secrets.previousMasterKeys }}
previous-master-keys: {{ join "," .Values.secrets.previousMasterKeys | b64enc | quote }}
{{- end }}
{{- if .Values.secrets.adminApiKey }}
admin-api-key: {{ .Values.secrets.adminApiKey | b64enc | quote }}
{{- end }}
{{- if .Values.secrets.jwtSecret }}
jwt-secret: {{ .Values.secrets.jwtSecret | b64enc | quote }}
{{- end }}
{{- if .Values.secrets.jwtJwksUrl }}
jwt-jwks-url: {{ .Values.secrets.jwtJwksUrl | b64enc | quote }}
{{- end }}
{{- end }}

{{/* An environment variable from a key of a Secret; optional ones are left unset when the key is absent. */}}
{{- define "tributary.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/* What the migrate command needs: the database, the owner, and the master key the service's context checks. */}}
{{- define "tributary.databaseEnv" -}}
{{ include "tributary.secretEnv" (dict "name" "DATASOURCES_DEFAULT_URL" "secret" .secret "key" "database-url") }}
{{ include "tributary.secretEnv" (dict "name" "DATASOURCES_DEFAULT_USERNAME" "secret" .secret "key" "database-username") }}
{{ include "tributary.secretEnv" (dict "name" "DATASOURCES_DEFAULT_PASSWORD" "secret" .secret "key" "database-password") }}
{{ include "tributary.secretEnv" (dict "name" "TRIBUTARY_MIGRATION_USERNAME" "secret" .secret "key" "migration-username" "optional" true) }}
{{ include "tributary.secretEnv" (dict "name" "TRIBUTARY_MIGRATION_PASSWORD" "secret" .secret "key" "migration-password" "optional" true) }}
{{ include "tributary.secretEnv" (dict "name" "TRIBUTARY_MASTER_KEY" "secret" .secret "key" "master-key") }}
{{ include "tributary.secretEnv" (dict "name" "TRIBUTARY_PREVIOUS_MASTER_KEYS" "secret" .secret "key" "previous-master-keys" "optional" true) }}
{{- end }}

{{/*
Names and labels.
*/}}
{{- define "trawler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "trawler.fullname" -}}
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

{{- define "trawler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "trawler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "trawler.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "trawler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: trawler
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The stages, in pipeline order. Each has a block of the same name in values.
*/}}
{{- define "trawler.stages" -}}
{{- list "crawl" "parse" "sink" | toJson }}
{{- end }}

{{/*
trawler.image: repository:tag or repository@digest.
*/}}
{{- define "trawler.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
trawler.gomemlimit: GOMEMLIMIT in bytes, memoryLimitPercent of a memory
quantity (the schema restricts limits.memory to an integer with an optional
binary or decimal suffix). Input: dict "quantity" "percent".
*/}}
{{- define "trawler.gomemlimit" -}}
{{- $q := toString .quantity }}
{{- $units := dict "" 1 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 }}
{{- $num := regexFind "^[0-9]+" $q }}
{{- $unit := trimPrefix $num $q }}
{{- if or (eq $num "") (not (hasKey $units $unit)) }}
{{- fail (printf "limits.memory %q: want an integer with an optional Ki, Mi, Gi, Ti, k, M, G or T suffix, to derive GOMEMLIMIT" $q) }}
{{- end }}
{{- div (mul (int64 $num) (get $units $unit) .percent) 100 }}
{{- end }}

{{/*
JetStream names, as trawler.Names derives them: the namespace upper-cased,
dots as underscores, then the stream.
*/}}
{{- define "trawler.streamPrefix" -}}
{{- .Values.jetstream.namespace | replace "." "_" | upper }}
{{- end }}

{{/*
trawler.sinkConsumer: the sink's durable consumer, as
internal/pipeline.SinkName names a sink given TRAWLER_SINK_NAME:
sink_<kind>_<sink.name>, the kind postgres for a DSN from a Secret.
*/}}
{{- define "trawler.sinkConsumer" -}}
{{- $s := .Values.sink }}
{{- $kind := "postgres" }}
{{- if not $s.postgres.existingSecret }}
{{- $kind = splitList ":" $s.spec | first }}
{{- if eq $kind "postgresql" }}{{ $kind = "postgres" }}{{ end }}
{{- end }}
{{- printf "sink_%s_%s" $kind $s.name }}
{{- end }}

{{/*
trawler.source: what a stage consumes, as YAML: stream, consumers and the
labels of its trawler_jetstream_consumer_pending_messages series. Input:
dict "root" $ "stage" name.
*/}}
{{- define "trawler.source" -}}
{{- $root := .root }}
{{- $prefix := include "trawler.streamPrefix" $root }}
{{- if eq .stage "crawl" }}
stream: {{ printf "%s_FRONTIER" $prefix }}
consumers:
{{- range $p := until (int $root.Values.jetstream.partitions) }}
  - {{ printf "crawlers-%02d" $p }}
{{- end }}
{{- else if eq .stage "parse" }}
stream: {{ printf "%s_PAGES" $prefix }}
consumers:
  - parsers
{{- else }}
stream: {{ printf "%s_ARTICLES" $prefix }}
consumers:
  - {{ include "trawler.sinkConsumer" $root }}
{{- end }}
{{- end }}

{{/*
trawler.autoscaled: "true" when an autoscaler owns the stage's replica
count. Input: dict "root" $ "stage" name.
*/}}
{{- define "trawler.autoscaled" -}}
{{- $s := index .root.Values .stage }}
{{- if and $s.enabled $s.autoscaling.enabled (ne .root.Values.autoscaling.mode "none") }}true{{ end }}
{{- end }}

{{/*
trawler.validate: the rules values.schema.json cannot express, because they
relate two values. Fails the render with the reason.
*/}}
{{- define "trawler.validate" -}}
{{- $v := .Values }}
{{- range $stage := include "trawler.stages" . | fromJsonArray }}
{{- $a := (index $v $stage).autoscaling }}
{{- if gt (int $a.minReplicas) (int $a.maxReplicas) }}
{{- fail (printf "%s.autoscaling: minReplicas %v is above maxReplicas %v" $stage $a.minReplicas $a.maxReplicas) }}
{{- end }}
{{- end }}
{{- if and (include "trawler.autoscaled" (dict "root" . "stage" "crawl")) (gt (int $v.crawl.autoscaling.maxReplicas) (int $v.jetstream.partitions)) }}
{{- fail (printf "crawl.autoscaling.maxReplicas %v exceeds jetstream.partitions %v: each partition is leased to one crawler, so crawlers beyond the partitions would idle" $v.crawl.autoscaling.maxReplicas $v.jetstream.partitions) }}
{{- end }}
{{- if and (not $v.sink.postgres.existingSecret) (regexMatch "[?&]name=" $v.sink.spec) }}
{{- fail "sink.spec: name the sink with sink.name, not name= in the spec" }}
{{- end }}
{{- if and (not $v.sink.postgres.existingSecret) (hasPrefix "jsonl:" $v.sink.spec) $v.sink.persistence.enabled }}
{{- if or (gt (int $v.sink.replicas) 1) (and (include "trawler.autoscaled" (dict "root" . "stage" "sink")) (gt (int $v.sink.autoscaling.maxReplicas) 1)) }}
{{- fail "sink: a jsonl sink writes one file on a ReadWriteOnce volume: run one replica (sink.replicas 1, sink.autoscaling.maxReplicas 1 or disabled); use a postgres sink to scale" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
trawler.envValue: an env value from values, quoted. Numbers print as
integers (YAML numbers reach templates as float64; the schema allows only
integers).
*/}}
{{- define "trawler.envValue" -}}
{{- if kindIs "float64" . }}{{ int64 . | toString | quote }}{{ else }}{{ toString . | quote }}{{ end }}
{{- end }}

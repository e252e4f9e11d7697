package deploy

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/conf"
	"gopkg.in/yaml.v3"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/sink"
)

// Tests of the Helm chart (helm/trawler) and the NATS chart values against
// the code. TestHelmChart and TestNATSValues read the files; TestHelmRendered
// reads the manifests that deploy/helm/check renders with helm from the tools
// module, and is run by that script.

const chartDir = "helm/trawler"

// renderedEnv names the directory of the renderings deploy/helm/check
// writes: one multi-document YAML file per values case.
const renderedEnv = "DEPLOY_HELM_RENDERED"

// get walks decoded YAML: string keys index maps, ints index lists. It
// returns nil when the path does not exist.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func list(v any) []any { l, _ := v.([]any); return l }

// matches reports whether selector labels all appear in labels.
func matches(selector, labels any) bool {
	sel, _ := selector.(map[string]any)
	lab, _ := labels.(map[string]any)
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if str(lab[k]) != str(v) {
			return false
		}
	}
	return true
}

// worst-case time a worker may hold a message after SIGTERM: the
// per-message timeout of the worker loop.
const messageTimeout = 2 * time.Minute

var stages = []string{trawler.StageCrawl, trawler.StageParse, trawler.StageSink}

func metricsPort(t *testing.T, addr string) int {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("TRAWLER_METRICS_ADDR %q: %v", addr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n == 0 {
		t.Fatalf("TRAWLER_METRICS_ADDR %q: want a fixed port in a container", addr)
	}
	return n
}

// quantity converts a Kubernetes (Mi, Gi) or Go (MiB, GiB) memory size to bytes.
func quantity(t *testing.T, s string) int64 {
	t.Helper()
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}}
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				t.Fatalf("memory size %q: %v", s, err)
			}
			return v * u.mult
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("memory size %q: want a number of bytes, Ki/Mi/Gi or KiB/MiB/GiB", s)
	}
	return v
}

// imageMetricsPort is the port of the image's TRAWLER_METRICS_ADDR.
func imageMetricsPort(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`TRAWLER_METRICS_ADDR=(\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("Dockerfile sets no TRAWLER_METRICS_ADDR")
	}
	return metricsPort(t, string(m[1]))
}

// readValues decodes a values file.
func readValues(t *testing.T, path string) map[string]any {
	t.Helper()
	docs := readYAML(t, path)
	if len(docs) != 1 {
		t.Fatalf("%s: %d documents, want 1", path, len(docs))
	}
	return docs[0]
}

func TestHelmChart(t *testing.T) {
	chart := readValues(t, filepath.Join(chartDir, "Chart.yaml"))
	if str(chart["apiVersion"]) != "v2" || str(chart["kubeVersion"]) == "" {
		t.Errorf("Chart.yaml: apiVersion %v, kubeVersion %v: want v2 and a constraint", chart["apiVersion"], chart["kubeVersion"])
	}
	if v := str(chart["appVersion"]); v != trawler.Version {
		t.Errorf("Chart.yaml: appVersion %q (the default image tag), the code is %s", v, trawler.Version)
	}

	// The rules and the dashboard are the tested files themselves, not copies.
	for link, target := range map[string]string{
		"files/alerts.yaml":  "prometheus/alerts.yaml",
		"files/trawler.json": "grafana/trawler.json",
	} {
		path := filepath.Join(chartDir, link)
		if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: want a symbolic link to %s (err %v)", path, target, err)
			continue
		}
		got, err := filepath.EvalSymlinks(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if want, _ := filepath.Abs(target); got != want {
			if abs, _ := filepath.Abs(got); abs != want {
				t.Errorf("%s resolves to %s, want %s", path, got, target)
			}
		}
	}

	values := readValues(t, filepath.Join(chartDir, "values.yaml"))
	if port, _ := get(values, "metrics", "port").(int); port != imageMetricsPort(t) {
		t.Errorf("values.yaml: metrics.port %d, the image's TRAWLER_METRICS_ADDR listens on %d", port, imageMetricsPort(t))
	}
	if ns := str(get(values, "jetstream", "namespace")); ns != trawler.DefaultNamespace {
		t.Errorf("values.yaml: jetstream.namespace %q, the code's default is %q", ns, trawler.DefaultNamespace)
	}
	// The grace period covers the drain whatever the values say: the schema
	// refuses less.
	var schema map[string]any
	data, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json"))
	if err == nil {
		err = yaml.Unmarshal(data, &schema)
	}
	if err != nil {
		t.Fatalf("values.schema.json: %v", err)
	}
	minGrace, _ := get(schema, "properties", "terminationGracePeriodSeconds", "minimum").(int)
	if time.Duration(minGrace)*time.Second < messageTimeout+10*time.Second {
		t.Errorf("values.schema.json allows terminationGracePeriodSeconds %d, under the %v per-message timeout", minGrace, messageTimeout)
	}
}

func TestNATSValues(t *testing.T) {
	v := readValues(t, "helm/nats-values.yaml")
	if get(v, "config", "cluster", "enabled") != true || get(v, "config", "cluster", "replicas") != 3 {
		t.Error("nats-values.yaml: want config.cluster enabled with 3 replicas")
	}
	for _, path := range [][]any{
		{"config", "jetstream", "enabled"},
		{"config", "jetstream", "fileStore", "enabled"},
		{"config", "jetstream", "fileStore", "pvc", "enabled"},
		{"config", "monitor", "enabled"},
	} {
		if get(v, path...) != true {
			t.Errorf("nats-values.yaml: %v is not true", path)
		}
	}
	// The server must take the largest message a crawler publishes.
	raw := strings.TrimSpace(str(get(v, "config", "merge", "max_payload")))
	raw = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(raw, "<<"), ">>"))
	parsed, err := conf.Parse("max_payload: " + raw)
	if err != nil {
		t.Fatalf("nats-values.yaml: max_payload %q: %v", raw, err)
	}
	if n, _ := parsed["max_payload"].(int64); n < natsutil.MaxPayload {
		t.Errorf("nats-values.yaml: max_payload %q is %d bytes, below the %d trawler's pages may need", raw, n, natsutil.MaxPayload)
	}
	// trawler's defaults name this chart's Services for release "nats".
	chart := readValues(t, filepath.Join(chartDir, "values.yaml"))
	port := str(get(v, "config", "monitor", "port"))
	if ep := str(get(chart, "nats", "monitoringEndpoint")); !strings.HasPrefix(ep, "nats-headless.") || !strings.HasSuffix(ep, ":"+port) {
		t.Errorf("values.yaml: nats.monitoringEndpoint %q, want the headless Service nats-headless.…:%s", ep, port)
	}
}

// TestHelmRendered checks the manifests deploy/helm/check renders: each
// stage's Deployment, its disruption budget, scraping and autoscaler, the
// rules and the dashboard, against the code's names, flags and metrics.
func TestHelmRendered(t *testing.T) {
	dir := os.Getenv(renderedEnv)
	if dir == "" {
		t.Skipf("%s is unset: deploy/helm/check renders the chart and runs this test", renderedEnv)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"default.yaml", "production.yaml"} {
		if !slices.Contains(files, filepath.Join(dir, want)) {
			t.Fatalf("%s: no %s among %v", dir, want, files)
		}
	}
	flags := flagEnvVars(t)
	fams := registeredFamilies(t)
	percent, _ := get(readValues(t, filepath.Join(chartDir, "values.yaml")), "memoryLimitPercent").(int)
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			r := rendering{t: t, flags: flags, fams: fams, percent: int64(percent), byKind: map[string][]map[string]any{},
				wantDashboard: filepath.Base(f) == "production.yaml"}
			for _, doc := range readYAML(t, f) {
				r.byKind[str(doc["kind"])] = append(r.byKind[str(doc["kind"])], doc)
			}
			r.check()
		})
	}
}

type rendering struct {
	t       *testing.T
	flags   map[string]string
	fams    map[string]family
	percent int64
	byKind  map[string][]map[string]any
	// wantDashboard: the values enable the dashboard (production does).
	wantDashboard bool
}

// stageDeployment is a rendered worker Deployment and what it tells.
type stageDeployment struct {
	obj   map[string]any
	name  string
	stage string
	env   map[string]any // env entries by name
	names trawler.Names
}

func (r *rendering) check() {
	t := r.t
	deps := map[string]*stageDeployment{} // by name
	byStage := map[string]*stageDeployment{}
	for _, d := range r.byKind["Deployment"] {
		sd := r.deployment(d)
		deps[sd.name] = sd
		byStage[sd.stage] = sd
	}
	if len(byStage) == 0 {
		t.Fatal("no Deployment rendered")
	}
	for _, sd := range byStage {
		labels := get(sd.obj, "spec", "template", "metadata", "labels")
		for _, kind := range []string{"PodDisruptionBudget", "PodMonitor"} {
			n := 0
			for _, o := range r.byKind[kind] {
				if matches(get(o, "spec", "selector", "matchLabels"), labels) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s: %d %ss select its pods, want 1", sd.name, n, kind)
			}
		}
	}
	r.podMonitors()
	r.autoscalers(deps)
	r.rules()
	if n := r.dashboards(); n == 0 && r.wantDashboard {
		t.Error("no dashboard ConfigMap rendered")
	}
}

func (r *rendering) deployment(d map[string]any) *stageDeployment {
	t := r.t
	name := str(get(d, "metadata", "name"))
	stage := str(get(d, "spec", "template", "metadata", "labels", "app.kubernetes.io/component"))
	if !slices.Contains(stages, stage) {
		t.Fatalf("%s: pod label app.kubernetes.io/component %q, want a stage of %v (the component label of the metrics)", name, stage, stages)
	}
	if !matches(get(d, "spec", "selector", "matchLabels"), get(d, "spec", "template", "metadata", "labels")) {
		t.Errorf("%s: the selector does not match the pod labels", name)
	}
	pod := get(d, "spec", "template", "spec")
	grace, _ := get(pod, "terminationGracePeriodSeconds").(int)
	if time.Duration(grace)*time.Second < messageTimeout+10*time.Second {
		t.Errorf("%s: terminationGracePeriodSeconds %d does not cover the %v per-message timeout", name, grace, messageTimeout)
	}
	if get(pod, "securityContext", "runAsNonRoot") != true || str(get(pod, "securityContext", "seccompProfile", "type")) != "RuntimeDefault" {
		t.Errorf("%s: the pod securityContext must set runAsNonRoot and the RuntimeDefault seccomp profile", name)
	}
	containers := list(get(pod, "containers"))
	if len(containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", name, len(containers))
	}
	c := containers[0]
	if args := list(get(c, "args")); len(args) == 0 || str(args[0]) != stage {
		t.Errorf("%s: args %v, want the %s subcommand first", name, args, stage)
	}
	sc := get(c, "securityContext")
	if get(sc, "readOnlyRootFilesystem") != true || get(sc, "allowPrivilegeEscalation") != false ||
		!slices.Contains(list(get(sc, "capabilities", "drop")), any("ALL")) {
		t.Errorf("%s: the container securityContext must set readOnlyRootFilesystem, no privilege escalation, drop ALL", name)
	}
	env := map[string]any{}
	for _, e := range list(get(c, "env")) {
		n := str(get(e, "name"))
		if _, dup := env[n]; dup {
			t.Errorf("%s: env %s set twice", name, n)
		}
		env[n] = e
		if strings.HasPrefix(n, "TRAWLER_") && r.flags[n] == "" {
			t.Errorf("%s: env %s is not the variable of any flag of cmd/trawler", name, n)
		}
	}
	value := func(n string) string { return str(get(env[n], "value")) }

	// Probes and scraping on the port the process listens on.
	port := metricsPort(t, value("TRAWLER_METRICS_ADDR"))
	if port != imageMetricsPort(t) {
		t.Errorf("%s: TRAWLER_METRICS_ADDR port %d, the image's is %d", name, port, imageMetricsPort(t))
	}
	var portOK bool
	for _, p := range list(get(c, "ports")) {
		portOK = portOK || str(get(p, "name")) == "metrics" && get(p, "containerPort") == port
	}
	if !portOK {
		t.Errorf("%s: no container port named metrics on %d", name, port)
	}
	for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz", "startupProbe": "/healthz"} {
		if str(get(c, probe, "httpGet", "path")) != path || str(get(c, probe, "httpGet", "port")) != "metrics" {
			t.Errorf("%s: %s is not GET %s on port metrics", name, probe, path)
		}
	}

	// GOMEMLIMIT is the configured share of the memory limit.
	for _, kind := range []string{"requests", "limits"} {
		for _, res := range []string{"cpu", "memory"} {
			if get(c, "resources", kind, res) == nil {
				t.Errorf("%s: no resources.%s.%s", name, kind, res)
			}
		}
	}
	if limit := str(get(c, "resources", "limits", "memory")); limit != "" {
		got, want := quantity(t, value("GOMEMLIMIT")), quantity(t, limit)*r.percent/100
		if got != want {
			t.Errorf("%s: GOMEMLIMIT %s, want %d%% of limits.memory %s (%d)", name, value("GOMEMLIMIT"), r.percent, limit, want)
		}
	}

	// The root filesystem is read-only: /tmp, and a jsonl sink's directory,
	// are volumes.
	mounts := map[string]bool{}
	for _, m := range list(get(c, "volumeMounts")) {
		mounts[str(get(m, "mountPath"))] = true
	}
	if !mounts["/tmp"] {
		t.Errorf("%s: no volume on /tmp", name)
	}
	if stage == trawler.StageSink {
		spec := value("TRAWLER_SINK")
		secret := get(env["TRAWLER_SINK"], "valueFrom", "secretKeyRef")
		switch {
		case secret != nil:
			if str(get(secret, "name")) == "" || str(get(secret, "key")) == "" {
				t.Errorf("%s: TRAWLER_SINK from a Secret without name or key", name)
			}
		case strings.HasPrefix(spec, "jsonl:"):
			if dir := filepath.Dir(strings.TrimPrefix(spec, "jsonl:")); !mounts[dir] {
				t.Errorf("%s: TRAWLER_SINK %q writes outside the mounted volumes %v", name, spec, mounts)
			}
		default:
			t.Errorf("%s: TRAWLER_SINK %q: want a jsonl path on a volume or a DSN from a Secret", name, spec)
		}
	}
	names := trawler.Names{NS: value("TRAWLER_NAMESPACE")}
	if err := names.Validate(); err != nil {
		t.Errorf("%s: TRAWLER_NAMESPACE: %v", name, err)
	}
	return &stageDeployment{obj: d, name: name, stage: stage, env: env, names: names}
}

func (r *rendering) podMonitors() {
	for _, pm := range r.byKind["PodMonitor"] {
		eps := list(get(pm, "spec", "podMetricsEndpoints"))
		if len(eps) == 0 {
			r.t.Error("PodMonitor without endpoints")
		}
		for _, ep := range eps {
			if str(get(ep, "port")) != "metrics" {
				r.t.Errorf("PodMonitor scrapes port %v, the containers name theirs metrics", get(ep, "port"))
			}
			// The dashboard and the alerts select job="trawler" and component.
			var job, component bool
			for _, rl := range list(get(ep, "relabelings")) {
				job = job || str(get(rl, "targetLabel")) == "job" && str(get(rl, "replacement")) == "trawler" && get(rl, "sourceLabels") == nil
				component = component || str(get(rl, "targetLabel")) == "component" &&
					str(get(rl, "sourceLabels", 0)) == "__meta_kubernetes_pod_label_app_kubernetes_io_component"
			}
			if !job || !component {
				r.t.Errorf("PodMonitor relabelings %v: want job=trawler and component from the pod label", get(ep, "relabelings"))
			}
		}
	}
}

// source is what a stage consumes, as the code names it.
func source(sd *stageDeployment, partitions int) (stream string, consumers []string, err error) {
	switch sd.stage {
	case trawler.StageCrawl:
		for p := range partitions {
			consumers = append(consumers, natsutil.PartitionConsumer(p))
		}
		return sd.names.FrontierStream(), consumers, nil
	case trawler.StageParse:
		return sd.names.PagesStream(), []string{natsutil.ParseConsumer}, nil
	}
	spec := str(get(sd.env["TRAWLER_SINK"], "value"))
	if spec == "" && get(sd.env["TRAWLER_SINK"], "valueFrom", "secretKeyRef") != nil {
		spec = "postgres://user:secret@db/news" // a DSN from a Secret, which the chart documents as postgres://
	}
	if name := str(get(sd.env["TRAWLER_SINK_NAME"], "value")); name != "" {
		var err error
		if spec, err = sink.WithName(spec, name); err != nil {
			return "", nil, err
		}
	}
	name, err := pipeline.SinkName(spec)
	return sd.names.ArticlesStream(), []string{name}, err
}

func (r *rendering) autoscalers(deps map[string]*stageDeployment) {
	t := r.t
	scaled := map[string]int{}
	for _, so := range r.byKind["ScaledObject"] {
		target := str(get(so, "spec", "scaleTargetRef", "name"))
		sd := deps[target]
		if sd == nil {
			t.Errorf("ScaledObject targets %q, not a worker Deployment", target)
			continue
		}
		scaled[target]++
		partitions, _ := strconv.Atoi(str(get(sd.env["TRAWLER_PARTITIONS"], "value")))
		if partitions <= 0 {
			t.Errorf("%s: TRAWLER_PARTITIONS %v", target, get(sd.env["TRAWLER_PARTITIONS"], "value"))
		}
		stream, want, err := source(sd, partitions)
		var got []string
		for _, tr := range list(get(so, "spec", "triggers")) {
			md := get(tr, "metadata")
			if str(get(tr, "type")) != "nats-jetstream" {
				t.Errorf("ScaledObject %s: trigger type %v, want nats-jetstream", target, get(tr, "type"))
				continue
			}
			if s := str(get(md, "stream")); s != stream {
				t.Errorf("ScaledObject %s: stream %q, the code's is %q", target, s, stream)
			}
			if ep := str(get(md, "natsServerMonitoringEndpoint")); !strings.Contains(ep, "-headless.") {
				t.Errorf("ScaledObject %s: endpoint %q is not the NATS headless Service, whose per-server names reach the consumer leader", target, ep)
			}
			if n, err := strconv.Atoi(str(get(md, "lagThreshold"))); err != nil || n < 1 {
				t.Errorf("ScaledObject %s: lagThreshold %v", target, get(md, "lagThreshold"))
			}
			got = append(got, str(get(md, "consumer")))
		}
		switch {
		case err != nil:
			t.Errorf("ScaledObject %s: %v", target, err)
		case !slices.Equal(got, want):
			t.Errorf("ScaledObject %s: consumers %v, the code's are %v", target, got, want)
		}
		if most, _ := get(so, "spec", "maxReplicaCount").(int); sd.stage == trawler.StageCrawl && most > partitions {
			t.Errorf("ScaledObject %s: maxReplicaCount %d above the %d partitions", target, most, partitions)
		}
	}
	for _, h := range r.byKind["HorizontalPodAutoscaler"] {
		target := str(get(h, "spec", "scaleTargetRef", "name"))
		sd := deps[target]
		if sd == nil {
			t.Errorf("HorizontalPodAutoscaler targets %q, not a worker Deployment", target)
			continue
		}
		scaled[target]++
		metrics := list(get(h, "spec", "metrics"))
		if len(metrics) != 1 || str(get(metrics[0], "type")) != "External" {
			t.Errorf("HPA %s: metrics %v, want one External metric", target, metrics)
			continue
		}
		m := get(metrics[0], "external", "metric")
		f, ok := r.fams[str(get(m, "name"))]
		// A custom collector's families have kind "unknown": the JetStream
		// gauges are one.
		if !ok || f.kind != "gauge" && f.kind != "unknown" {
			t.Errorf("HPA %s: metric %v is not a gauge trawler registers (%+v)", target, get(m, "name"), f)
			continue
		}
		sel, _ := get(m, "selector", "matchLabels").(map[string]any)
		for l := range sel {
			if !slices.Contains(f.labels, l) {
				t.Errorf("HPA %s: selects on %q, not a label of %v (%v)", target, l, get(m, "name"), f.labels)
			}
		}
		stream, want, err := source(sd, 0)
		if str(sel["stage"]) != sd.stage || str(sel["stream"]) != stream {
			t.Errorf("HPA %s: selector %v, want stage %s, stream %s", target, sel, sd.stage, stream)
		}
		switch {
		case sd.stage == trawler.StageCrawl:
			if _, ok := sel["consumer"]; ok {
				t.Errorf("HPA %s: selects one consumer; crawl sums the pending messages of every partition", target)
			}
		case err != nil:
			t.Errorf("HPA %s: %v", target, err)
		case str(sel["consumer"]) != want[0]:
			t.Errorf("HPA %s: consumer %v, the code's is %s", target, sel["consumer"], want[0])
		}
	}
	for name, sd := range deps {
		switch n := scaled[name]; {
		case n > 1:
			t.Errorf("%s has %d autoscalers; they would fight", name, n)
		case n == 1 && get(sd.obj, "spec", "replicas") != nil:
			t.Errorf("%s is autoscaled but sets replicas, which every upgrade would reset", name)
		case n == 0 && get(sd.obj, "spec", "replicas") == nil:
			t.Errorf("%s is not autoscaled and sets no replicas", name)
		}
	}
}

// rules checks that the PrometheusRule carries deploy/prometheus/alerts.yaml.
func (r *rendering) rules() {
	want := readYAML(r.t, "prometheus/alerts.yaml")[0]["groups"]
	for _, pr := range r.byKind["PrometheusRule"] {
		if got := get(pr, "spec", "groups"); !reflect.DeepEqual(got, want) {
			r.t.Errorf("PrometheusRule %s: groups differ from prometheus/alerts.yaml", str(get(pr, "metadata", "name")))
		}
	}
}

// dashboards checks that every dashboard ConfigMap holds
// grafana/trawler.json, and returns how many there are.
func (r *rendering) dashboards() int {
	want, err := os.ReadFile("grafana/trawler.json")
	if err != nil {
		r.t.Fatal(err)
	}
	n := 0
	for _, cm := range r.byKind["ConfigMap"] {
		if str(get(cm, "metadata", "labels", "grafana_dashboard")) == "" {
			continue
		}
		n++
		if got := str(get(cm, "data", "trawler.json")); got != string(want) {
			r.t.Errorf("ConfigMap %s: trawler.json differs from grafana/trawler.json", str(get(cm, "metadata", "name")))
		}
	}
	return n
}

package deploy

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
)

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

type kustomize struct {
	Namespace          string   `yaml:"namespace"`
	Resources          []string `yaml:"resources"`
	ConfigMapGenerator []struct {
		Name     string   `yaml:"name"`
		Literals []string `yaml:"literals"`
	} `yaml:"configMapGenerator"`
}

func TestKubernetes(t *testing.T) {
	raw, err := os.ReadFile("k8s/kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var k kustomize
	if err := yaml.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	if len(k.ConfigMapGenerator) != 1 {
		t.Fatalf("want one configMapGenerator (the shared TRAWLER_* settings), got %d", len(k.ConfigMapGenerator))
	}
	cmName := k.ConfigMapGenerator[0].Name
	env := map[string]string{}
	for _, l := range k.ConfigMapGenerator[0].Literals {
		name, value, _ := strings.Cut(l, "=")
		env[name] = value
	}
	port := metricsPort(t, env["TRAWLER_METRICS_ADDR"])
	names := trawler.Names{NS: env["TRAWLER_NAMESPACE"]}
	if names.NS == "" {
		t.Fatal("the ConfigMap sets no TRAWLER_NAMESPACE, which the KEDA triggers depend on")
	}

	// Every manifest is applied, or named in kustomization.yaml as an
	// alternative.
	files, _ := filepath.Glob("k8s/*.yaml")
	for _, f := range files {
		base := filepath.Base(f)
		if base != "kustomization.yaml" && !slices.Contains(k.Resources, base) && !strings.Contains(string(raw), base) {
			t.Errorf("%s is neither a resource of kustomization.yaml nor mentioned there", f)
		}
	}
	objects := map[string][]map[string]any{} // by kind
	for _, r := range k.Resources {
		for _, doc := range readYAML(t, filepath.Join("k8s", r)) {
			objects[str(doc["kind"])] = append(objects[str(doc["kind"])], doc)
		}
	}
	alternative := readYAML(t, "k8s/hpa-parse.yaml")

	deployments := map[string]map[string]any{}
	for _, d := range objects["Deployment"] {
		deployments[str(get(d, "metadata", "name"))] = d
	}
	for _, stage := range stages {
		name := "trawler-" + stage
		d := deployments[name]
		if d == nil {
			t.Errorf("no Deployment %s", name)
			continue
		}
		checkDeployment(t, name, stage, d, cmName, port)
		labels := get(d, "spec", "template", "metadata", "labels")
		for _, kind := range []string{"PodDisruptionBudget", "PodMonitor", "Service"} {
			var found bool
			for _, o := range objects[kind] {
				sel := get(o, "spec", "selector", "matchLabels")
				if kind == "Service" {
					sel = get(o, "spec", "selector")
				}
				found = found || matches(sel, labels)
			}
			if !found {
				t.Errorf("%s: no %s selects its pods", name, kind)
			}
		}
		// Alerts and the dashboard rely on job="trawler".
		for _, pm := range objects["PodMonitor"] {
			if job := str(get(labels, str(get(pm, "spec", "jobLabel")))); job != "trawler" {
				t.Errorf("%s: the PodMonitor's jobLabel gives job %q, the alerts want trawler", name, job)
			}
		}
	}
	for _, pm := range objects["PodMonitor"] {
		for _, ep := range list(get(pm, "spec", "podMetricsEndpoints")) {
			if str(get(ep, "port")) != "metrics" {
				t.Errorf("PodMonitor scrapes port %v, the containers name theirs metrics", get(ep, "port"))
			}
			var component bool
			for _, rl := range list(get(ep, "relabelings")) {
				component = component || str(get(rl, "targetLabel")) == "component" &&
					str(get(rl, "sourceLabels", 0)) == "__meta_kubernetes_pod_label_app_kubernetes_io_component"
			}
			if !component {
				t.Error("PodMonitor does not set the component label the dashboard and alerts use")
			}
		}
	}

	// Autoscalers: the right stream and consumer, and one per Deployment.
	// Crawlers read a partitioned frontier (one consumer per partition), so
	// they scale on the backlog gauge of the whole stream instead.
	want := map[string][2]string{
		"trawler-parse": {names.PagesStream(), natsutil.ParseConsumer},
	}
	scaled := map[string]int{}
	for _, so := range objects["ScaledObject"] {
		target := str(get(so, "spec", "scaleTargetRef", "name"))
		scaled[target]++
		if deployments[target] == nil {
			t.Errorf("ScaledObject targets %q, not a Deployment", target)
		}
		for _, tr := range list(get(so, "spec", "triggers")) {
			if str(get(tr, "type")) == "prometheus" {
				if q := str(get(tr, "metadata", "query")); !strings.Contains(q, `stream="`+names.FrontierStream()+`"`) || target != "trawler-crawl" {
					t.Errorf("ScaledObject for %s: prometheus trigger %q, want the %s backlog for trawler-crawl", target, q, names.FrontierStream())
				}
				continue
			}
			if str(get(tr, "type")) != "nats-jetstream" {
				continue
			}
			got := [2]string{str(get(tr, "metadata", "stream")), str(get(tr, "metadata", "consumer"))}
			if got != want[target] {
				t.Errorf("ScaledObject for %s watches stream/consumer %v, the code uses %v", target, got, want[target])
			}
		}
	}
	for _, h := range append(objects["HorizontalPodAutoscaler"], alternative...) {
		target := str(get(h, "spec", "scaleTargetRef", "name"))
		if deployments[target] == nil {
			t.Errorf("HorizontalPodAutoscaler targets %q, not a Deployment", target)
		}
	}
	for _, h := range objects["HorizontalPodAutoscaler"] {
		scaled[str(get(h, "spec", "scaleTargetRef", "name"))]++
	}
	for target, n := range scaled {
		if n > 1 {
			t.Errorf("%s has %d autoscalers; they would fight", target, n)
		}
	}
	for name, d := range deployments {
		if get(d, "spec", "replicas") != nil && scaled[name] > 0 {
			t.Errorf("%s is autoscaled but sets replicas, which every apply resets", name)
		}
	}
}

func checkDeployment(t *testing.T, name, stage string, d map[string]any, cmName string, port int) {
	t.Helper()
	if !matches(get(d, "spec", "selector", "matchLabels"), get(d, "spec", "template", "metadata", "labels")) {
		t.Errorf("%s: selector does not match the pod labels", name)
	}
	if c := str(get(d, "spec", "template", "metadata", "labels", "app.kubernetes.io/component")); c != stage {
		t.Errorf("%s: pod label app.kubernetes.io/component is %q, want %q (the component label)", name, c, stage)
	}
	pod := get(d, "spec", "template", "spec")
	grace, _ := get(pod, "terminationGracePeriodSeconds").(int)
	if time.Duration(grace)*time.Second < messageTimeout+10*time.Second {
		t.Errorf("%s: terminationGracePeriodSeconds %d does not cover the %v per-message timeout", name, grace, messageTimeout)
	}
	if get(pod, "securityContext", "runAsNonRoot") != true {
		t.Errorf("%s: pod securityContext.runAsNonRoot is not true", name)
	}
	containers := list(get(pod, "containers"))
	if len(containers) != 1 {
		t.Fatalf("%s: want one container, got %d", name, len(containers))
	}
	c := containers[0]
	if args := list(get(c, "args")); len(args) == 0 || str(args[0]) != stage {
		t.Errorf("%s: args %v, want the %s subcommand first", name, args, stage)
	}
	if str(get(c, "envFrom", 0, "configMapRef", "name")) != cmName {
		t.Errorf("%s: envFrom does not reference the ConfigMap %s", name, cmName)
	}
	var portOK bool
	for _, p := range list(get(c, "ports")) {
		portOK = portOK || str(get(p, "name")) == "metrics" && get(p, "containerPort") == port
	}
	if !portOK {
		t.Errorf("%s: no container port named metrics on %d (TRAWLER_METRICS_ADDR)", name, port)
	}
	for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
		if str(get(c, probe, "httpGet", "path")) != path || str(get(c, probe, "httpGet", "port")) != "metrics" {
			t.Errorf("%s: %s is not GET %s on port metrics", name, probe, path)
		}
	}
	sc := get(c, "securityContext")
	if get(sc, "readOnlyRootFilesystem") != true || get(sc, "allowPrivilegeEscalation") != false ||
		!slices.Contains(list(get(sc, "capabilities", "drop")), any("ALL")) {
		t.Errorf("%s: container securityContext must set readOnlyRootFilesystem, no privilege escalation, drop ALL", name)
	}
	for _, kind := range []string{"requests", "limits"} {
		for _, res := range []string{"cpu", "memory"} {
			if get(c, "resources", kind, res) == nil {
				t.Errorf("%s: no resources.%s.%s", name, kind, res)
			}
		}
	}
	env := map[string]string{}
	for _, e := range list(get(c, "env")) {
		env[str(get(e, "name"))] = str(get(e, "value"))
	}
	if v, ok := env["GOMEMLIMIT"]; ok {
		if limit := str(get(c, "resources", "limits", "memory")); limit != "" && quantity(t, v) >= quantity(t, limit) {
			t.Errorf("%s: GOMEMLIMIT %s is not below limits.memory %s", name, v, limit)
		}
	}
	if stage == trawler.StageSink && !strings.HasPrefix(env["TRAWLER_SINK"], "jsonl:/data/") {
		t.Errorf("%s: TRAWLER_SINK %q does not write to the /data volume", name, env["TRAWLER_SINK"])
	}
}

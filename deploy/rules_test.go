package deploy

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "regenerate k8s/prometheusrule.yaml from prometheus/alerts.yaml")

// expression is one PromQL expression and the texts that use its labels.
type expression struct {
	where string
	expr  string
	uses  []string // legend formats and annotations: {{label}} / {{ $labels.label }}
}

func dashboardExpressions(t *testing.T) []expression {
	t.Helper()
	data, err := os.ReadFile("grafana/trawler.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels     []panel `json:"panels"`
		Templating struct {
			List []struct {
				Name       string `json:"name"`
				Definition string `json:"definition"`
				Query      any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("grafana/trawler.json: %v", err)
	}
	var exprs []expression
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				exprs = append(exprs, expression{
					where: fmt.Sprintf("dashboard panel %q target %s", p.Title, tg.RefID),
					expr:  tg.Expr,
					uses:  []string{tg.LegendFormat},
				})
			}
			walk(p.Panels)
		}
	}
	walk(dash.Panels)
	for _, v := range dash.Templating.List {
		if v.Definition != "" {
			exprs = append(exprs, expression{where: "dashboard variable " + v.Name, expr: v.Definition})
		}
	}
	return exprs
}

type panel struct {
	ID         int    `json:"id"`
	Type       string `json:"type"`
	Title      string `json:"title"`
	Datasource *struct {
		UID string `json:"uid"`
	} `json:"datasource"`
	Targets []struct {
		RefID        string `json:"refId"`
		Expr         string `json:"expr"`
		LegendFormat string `json:"legendFormat"`
		Datasource   *struct {
			UID string `json:"uid"`
		} `json:"datasource"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

// alertRule is one rule of a Prometheus rules file.
type alertRule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type ruleGroups struct {
	Groups []struct {
		Name  string      `yaml:"name"`
		Rules []alertRule `yaml:"rules"`
	} `yaml:"groups"`
}

func alertRules(t *testing.T) []alertRule {
	t.Helper()
	data, err := os.ReadFile("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rg ruleGroups
	if err := yaml.Unmarshal(data, &rg); err != nil {
		t.Fatalf("prometheus/alerts.yaml: %v", err)
	}
	var rules []alertRule
	for _, g := range rg.Groups {
		rules = append(rules, g.Rules...)
	}
	return rules
}

func alertExpressions(t *testing.T) []expression {
	var exprs []expression
	for _, r := range alertRules(t) {
		e := expression{where: "alert " + r.Alert, expr: r.Expr}
		for _, a := range r.Annotations {
			e.uses = append(e.uses, a)
		}
		exprs = append(exprs, e)
	}
	return exprs
}

func TestDashboard(t *testing.T) {
	data, err := os.ReadFile("grafana/trawler.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID           string  `json:"uid"`
		SchemaVersion int     `json:"schemaVersion"`
		Panels        []panel `json:"panels"`
		Templating    struct {
			List []struct {
				Name  string `json:"name"`
				Type  string `json:"type"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatal(err)
	}
	if dash.UID == "" || dash.SchemaVersion < 36 {
		t.Errorf("uid %q, schemaVersion %d", dash.UID, dash.SchemaVersion)
	}
	var hasDS bool
	for _, v := range dash.Templating.List {
		if v.Name == "DS_PROMETHEUS" && v.Type == "datasource" && v.Query == "prometheus" {
			hasDS = true
		}
	}
	if !hasDS {
		t.Error("no datasource variable DS_PROMETHEUS of type prometheus")
	}
	const ds = "${DS_PROMETHEUS}"
	ids := map[int]string{}
	var rows []string
	for _, p := range dash.Panels {
		if prev, dup := ids[p.ID]; dup {
			t.Errorf("panels %q and %q share id %d", prev, p.Title, p.ID)
		}
		ids[p.ID] = p.Title
		if p.Type == "row" {
			rows = append(rows, p.Title)
			continue
		}
		if p.Datasource == nil || p.Datasource.UID != ds {
			t.Errorf("panel %q: datasource is not %s", p.Title, ds)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			if tg.Datasource == nil || tg.Datasource.UID != ds {
				t.Errorf("panel %q target %s: datasource is not %s", p.Title, tg.RefID, ds)
			}
		}
	}
	want := []string{"Overview", "Crawl", "Parse", "Sink", "Worker loop", "Go runtime"}
	if !slices.Equal(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
}

func TestAlertRules(t *testing.T) {
	rules := alertRules(t)
	names := map[string]bool{}
	for _, r := range rules {
		if r.Alert == "" || names[r.Alert] {
			t.Errorf("alert name %q empty or repeated", r.Alert)
		}
		names[r.Alert] = true
		if r.For == "" {
			t.Errorf("%s: no for", r.Alert)
		}
		if s := r.Labels["severity"]; s != "warning" && s != "critical" {
			t.Errorf("%s: severity %q, want warning or critical", r.Alert, s)
		}
		if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
			t.Errorf("%s: summary and description annotations are required", r.Alert)
		}
	}
	// The README explains each alert.
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name := range names {
		if !bytes.Contains(readme, []byte("`"+name+"`")) {
			t.Errorf("README.md does not explain %s", name)
		}
	}
}

const ruleHeader = `# Code generated by "go test ./deploy -update" from deploy/prometheus/alerts.yaml. DO NOT EDIT.
#
# The alerting rules of deploy/prometheus/alerts.yaml as a Prometheus
# Operator PrometheusRule. A Prometheus selects rules by label;
# kube-prometheus-stack, for instance, wants release: <its Helm release>
# unless ruleSelectorNilUsesHelmValues is false.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: trawler
  labels:
    app.kubernetes.io/name: trawler
spec:
`

// TestPrometheusRuleInSync keeps the Kubernetes copy of the alerts equal to
// the rules file; -update regenerates it.
func TestPrometheusRuleInSync(t *testing.T) {
	src, err := os.ReadFile("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(src, []byte("\ngroups:"))
	if i < 0 {
		t.Fatal("prometheus/alerts.yaml: no top-level groups:")
	}
	var b strings.Builder
	b.WriteString(ruleHeader)
	for _, line := range strings.SplitAfter(string(src[i+1:]), "\n") {
		if strings.TrimSpace(line) != "" {
			b.WriteString("  ")
		}
		b.WriteString(line)
	}
	const path = "k8s/prometheusrule.yaml"
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != b.String() {
		t.Errorf("%s is out of date: run go test ./deploy -update", path)
	}
	docs := readYAML(t, path)
	var want ruleGroups
	if err := yaml.Unmarshal(src, &want); err != nil {
		t.Fatal(err)
	}
	spec, _ := docs[0]["spec"].(map[string]any)
	if groups, _ := spec["groups"].([]any); len(groups) != len(want.Groups) {
		t.Errorf("%s has %d groups, alerts.yaml %d", path, len(groups), len(want.Groups))
	}
}

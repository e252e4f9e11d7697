package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/heatmap"
	sdkprometheus "github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
	"gopkg.in/yaml.v3"
)

// expression is one PromQL expression and the texts that use its labels.
type expression struct {
	where string
	panel string // the dashboard panel's title; empty for variables and alerts
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
					panel: p.Title,
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
	titles := map[string]bool{}
	for _, p := range dash.Panels {
		// The Prometheus test reports and exempts panels by title.
		if titles[p.Title] {
			t.Errorf("two panels titled %q", p.Title)
		}
		titles[p.Title] = true
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
	want := []string{"Overview", "Crawl", "Parse", "Sink", "NATS", "Worker loop", "Go runtime"}
	if !slices.Equal(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	// File provisioning does not fill __inputs: the datasource variable
	// must do.
	if bytes.Contains(data, []byte(`"__inputs"`)) || bytes.Contains(data, []byte("${DS_PROMETHEUS_")) {
		t.Error("the dashboard uses __inputs; provisioning leaves them unfilled")
	}
	// Windows follow the scrape interval Grafana knows of, never a constant
	// that is too short for a slow scrape or blurs a fast one.
	for _, e := range dashboardExpressions(t) {
		for _, m := range rangeSelector.FindAllStringSubmatch(e.expr, -1) {
			if m[1] != "$__rate_interval" && m[1] != "$__range" {
				t.Errorf("%s: range [%s], want [$__rate_interval]", e.where, m[1])
			}
		}
	}
}

// strictPanelTypes are the panel types whose options and field config the
// strict decoding below checks: every panel type the dashboard uses.
var strictPanelTypes = map[string]variants.PanelcfgConfig{
	"stat":       stat.VariantConfig(),
	"timeseries": timeseries.VariantConfig(),
	"heatmap":    heatmap.VariantConfig(),
	"table":      table.VariantConfig(),
}

// TestDashboardStrict decodes the dashboard into the Grafana Foundation
// SDK's types generated from Grafana's schemas, failing on unknown fields,
// wrong types and missing required fields, in the panels' options and
// field config and in the Prometheus queries too: a typo Grafana would
// silently ignore fails here.
func TestDashboardStrict(t *testing.T) {
	data, err := os.ReadFile("grafana/trawler.json")
	if err != nil {
		t.Fatal(err)
	}
	rt := cog.NewRuntime()
	for _, v := range strictPanelTypes {
		rt.RegisterPanelcfgVariant(v)
	}
	rt.RegisterDataqueryVariant(sdkprometheus.VariantConfig())
	// trawler.json is Grafana's classic dashboard model (schemaVersion 39),
	// the one file provisioning and the chart's ConfigMap hand to the
	// Grafana 11.4 of compose.yaml. The SDK deprecates its type in favour
	// of dashboardv2.Dashboard, a different model (elements and layouts)
	// that Grafana reads only from version 12, behind feature flags; the
	// dashboard is decoded, strictly, as the model it is written in.
	//lint:ignore SA1019 the dashboard is the classic (v1) model on purpose; dashboardv2 is another format
	var dash dashboard.Dashboard
	err = dash.UnmarshalJSONStrict(data)
	// The SDK returns a nil BuildErrors as a non-nil error.
	if be := (cog.BuildErrors)(nil); errors.As(err, &be) && len(be) == 0 {
		err = nil
	}
	if err != nil {
		t.Fatalf("grafana/trawler.json does not decode strictly:\n%v", err)
	}
	if err := dash.Validate(); err != nil {
		t.Errorf("grafana/trawler.json: %v", err)
	}
	for _, p := range dash.Panels {
		if p.Panel == nil {
			continue // a row
		}
		if _, ok := strictPanelTypes[p.Panel.Type]; !ok {
			t.Errorf("panel %q: type %q is not decoded strictly; add it to strictPanelTypes", *p.Panel.Title, p.Panel.Type)
		}
	}
}

var rangeSelector = regexp.MustCompile(`\[([^\]]*)\]`)

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
		if !strings.Contains(r.Annotations["runbook"], r.Alert) {
			t.Errorf("%s: runbook annotation %q does not name the alert's section", r.Alert, r.Annotations["runbook"])
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

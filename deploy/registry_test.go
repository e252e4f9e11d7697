package deploy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/worker"
)

// family is a metric family as the code registers it.
type family struct {
	kind   string // counter, gauge, histogram, summary, or unknown (custom collector)
	labels []string
}

// recorder is a Registerer that records the descriptors of every collector
// registered through it. Describe, unlike Gather, also reports vectors that
// have no child yet and histograms never observed.
type recorder struct {
	reg      *prometheus.Registry
	families map[string]family
}

func (r *recorder) Register(c prometheus.Collector) error {
	if err := r.reg.Register(c); err != nil {
		return err
	}
	kind := kindOf(c)
	for _, d := range describe(c) {
		name, labels, err := parseDesc(d)
		if err != nil {
			return err
		}
		r.families[name] = family{kind: kind, labels: labels}
	}
	return nil
}

func (r *recorder) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			panic(err)
		}
	}
}

func (r *recorder) Unregister(c prometheus.Collector) bool { return r.reg.Unregister(c) }

func describe(c prometheus.Collector) []*prometheus.Desc {
	ch := make(chan *prometheus.Desc)
	go func() { c.Describe(ch); close(ch) }()
	var ds []*prometheus.Desc
	for d := range ch {
		ds = append(ds, d)
	}
	return ds
}

// kindOf tells a collector's metric type: vectors by their Go type, single
// metrics by the one sample they write (which has no side effect).
func kindOf(c prometheus.Collector) string {
	switch c.(type) {
	case *prometheus.CounterVec:
		return "counter"
	case *prometheus.GaugeVec:
		return "gauge"
	case *prometheus.HistogramVec:
		return "histogram"
	case *prometheus.SummaryVec:
		return "summary"
	}
	if m, ok := c.(prometheus.Metric); ok {
		var pb dto.Metric
		if m.Write(&pb) == nil {
			switch {
			case pb.Histogram != nil:
				return "histogram"
			case pb.Summary != nil:
				return "summary"
			case pb.Counter != nil:
				return "counter"
			case pb.Gauge != nil:
				return "gauge"
			}
		}
	}
	return "unknown"
}

var (
	descName   = regexp.MustCompile(`^Desc\{fqName: "([^"]+)"`)
	descLabels = regexp.MustCompile(`variableLabels: \{([^}]*)\}\}$`)
)

// parseDesc reads the name and variable labels of d from its String form,
// the only public view of them.
func parseDesc(d *prometheus.Desc) (string, []string, error) {
	s := d.String()
	m := descName.FindStringSubmatch(s)
	l := descLabels.FindStringSubmatch(s)
	if m == nil || l == nil {
		return "", nil, fmt.Errorf("cannot parse descriptor %s", s)
	}
	var labels []string
	for _, v := range strings.Split(l[1], ",") {
		if v = strings.TrimSuffix(strings.TrimPrefix(v, "c("), ")"); v != "" {
			labels = append(labels, v)
		}
	}
	return m[1], labels, nil
}

// registeredFamilies returns every metric family a trawler worker serves:
// the stage, worker loop and JetStream metrics, and the Go and process
// collectors cmd/trawler registers beside them.
func registeredFamilies(t *testing.T) map[string]family {
	t.Helper()
	r := &recorder{reg: prometheus.NewRegistry(), families: map[string]family{}}
	pipeline.NewMetrics(r)
	worker.NewMetrics(r)
	// Describe does not touch the JetStream handle; Collect would.
	r.MustRegister(pipeline.NewJetStreamCollector(nil, trawler.Names{NS: trawler.DefaultNamespace}, nil))

	for name, f := range cmdFamilies(t) {
		r.families[name] = f
	}

	// The runtime collectors collect without side effects, so their types
	// come from Gather.
	rt := prometheus.NewRegistry()
	rt.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mfs, err := rt.Gather()
	if err != nil {
		// Some platforms lack a few process metrics; use what there is.
		t.Logf("gathering the runtime collectors: %v", err)
	}
	for _, mf := range mfs {
		f := family{kind: strings.ToLower(mf.GetType().String())}
		for _, lp := range mf.GetMetric()[0].GetLabel() {
			f.labels = append(f.labels, lp.GetName())
		}
		r.families[mf.GetName()] = f
	}
	// A guard against a descriptor format this test no longer understands.
	if f := r.families["trawler_crawl_fetches_total"]; f.kind != "counter" || !slices.Equal(f.labels, []string{"outcome", "status_class"}) {
		t.Fatalf("trawler_crawl_fetches_total recorded as %+v; the descriptor parsing is broken", f)
	}
	return r.families
}

// resolve maps a series name used in PromQL to the family exposing it.
func resolve(name string, fams map[string]family) (family, error) {
	if f, ok := fams[name]; ok {
		if f.kind == "histogram" {
			return f, fmt.Errorf("%s is a histogram: query %[1]s_bucket, _sum or _count", name)
		}
		return f, nil
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, ok := strings.CutSuffix(name, suffix)
		if !ok {
			continue
		}
		f, ok := fams[base]
		switch {
		case !ok:
		case f.kind == "histogram", f.kind == "summary" && suffix != "_bucket":
			return f, nil
		default:
			return f, fmt.Errorf("%s: %s is a %s, it has no %s series", name, base, f.kind, suffix)
		}
	}
	return family{}, fmt.Errorf("%s is not a metric the code registers", name)
}

// cmdMetric is a metric vector cmd/trawler builds itself.
var cmdMetric = regexp.MustCompile(`(?s)prometheus\.New(Gauge|Counter)Vec\(prometheus\.(?:Gauge|Counter)Opts\{\s*Name:\s*"(trawler_[a-z_]+)".*?\},\s*\[\]string\{([^}]*)\}\)`)

// cmdFamilies returns the metrics cmd/trawler registers beside the
// packages' (trawler_build_info), read from its source: package main
// cannot be imported.
func cmdFamilies(t *testing.T) map[string]family {
	t.Helper()
	fams := map[string]family{}
	for _, data := range cmdSources(t) {
		for _, m := range cmdMetric.FindAllStringSubmatch(data, -1) {
			f := family{kind: strings.ToLower(m[1])}
			for _, l := range strings.Split(m[3], ",") {
				if l = strings.Trim(strings.TrimSpace(l), `"`); l != "" {
					f.labels = append(f.labels, l)
				}
			}
			fams[m[2]] = f
		}
	}
	return fams
}

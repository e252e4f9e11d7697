package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/trawler/trawler"
)

// deployFiles returns the paths of every file under deploy/ (the test's
// working directory) except Go sources.
func deployFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func isYAML(path string) bool {
	return strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")
}

// readYAML decodes every document of a YAML file.
func readYAML(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: document %d: %v", path, len(docs)+1, err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	return docs
}

func TestYAMLFilesParse(t *testing.T) {
	n := 0
	for _, path := range deployFiles(t) {
		// Helm templates are YAML only once rendered; the chart's own
		// checks render them.
		if !isYAML(path) || strings.Contains(filepath.ToSlash(path), "/templates/") {
			continue
		}
		if len(readYAML(t, path)) == 0 {
			t.Errorf("%s: no YAML document", path)
		}
		n++
	}
	if n < 10 {
		t.Errorf("found %d YAML files under deploy/, want the compose, prometheus, grafana and Helm files", n)
	}
}

// targetLabels are added by the scrape configurations (prometheus.yml, the
// PodMonitor), not by the code.
var targetLabels = []string{"job", "instance", "component", "namespace", "pod", "container", "endpoint", "service"}

var (
	metricRef    = regexp.MustCompile(`\b((?:trawler|go|process)_[A-Za-z0-9_:]*)`)
	selector     = regexp.MustCompile(`\b((?:trawler|go|process)_[A-Za-z0-9_:]*)\s*\{([^}]*)\}`)
	matcher      = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"`)
	grouping     = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)`)
	labelReplace = regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"\s*,\s*"[^"]*"\s*,\s*"[A-Za-z_][A-Za-z0-9_]*"\s*,\s*"[^"]*"\s*\)`)
	legendLabel  = regexp.MustCompile(`\{\{\s*(?:\$labels\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)
	annotLabel   = regexp.MustCompile(`\$labels\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// TestMetricNames checks every metric the dashboard and the alerts query
// against the families the code registers, and the labels they select,
// group by or print against those families' labels.
func TestMetricNames(t *testing.T) {
	fams := registeredFamilies(t)
	dash, alerts := dashboardExpressions(t), alertExpressions(t)
	if len(dash) < 20 || len(alerts) < 7 {
		t.Fatalf("found %d dashboard and %d alert expressions; the extraction is broken", len(dash), len(alerts))
	}
	used := map[string]bool{}
	for _, e := range append(dash, alerts...) {
		if e.expr == "" {
			t.Errorf("%s: empty expression", e.where)
			continue
		}
		if err := balanced(e.expr); err != nil {
			t.Errorf("%s: %v in %s", e.where, err, e.expr)
		}
		avail := map[string]bool{}
		for _, l := range targetLabels {
			avail[l] = true
		}
		var trawlerRefs int
		for _, m := range metricRef.FindAllStringSubmatch(e.expr, -1) {
			if strings.HasPrefix(m[1], "trawler_") {
				trawlerRefs++
			}
			f, err := resolve(m[1], fams)
			if err != nil {
				t.Errorf("%s: %v", e.where, err)
				continue
			}
			used[m[1]] = true
			for _, l := range f.labels {
				avail[l] = true
			}
			if f.kind == "histogram" && strings.HasSuffix(m[1], "_bucket") {
				avail["le"] = true
			}
			if f.kind == "summary" {
				avail["quantile"] = true
			}
		}
		// Labels a selector matches on must exist on that very metric.
		for _, m := range selector.FindAllStringSubmatch(e.expr, -1) {
			f, err := resolve(m[1], fams)
			if err != nil {
				continue // reported above
			}
			own := slices.Concat(f.labels, targetLabels)
			if strings.HasSuffix(m[1], "_bucket") {
				own = append(own, "le")
			}
			if f.kind == "summary" && !strings.HasSuffix(m[1], "_sum") && !strings.HasSuffix(m[1], "_count") {
				own = append(own, "quantile")
			}
			for _, lm := range matcher.FindAllStringSubmatch(m[2], -1) {
				if !slices.Contains(own, lm[1]) {
					t.Errorf("%s: %s has no label %q (labels: %v)", e.where, m[1], lm[1], f.labels)
				}
			}
		}
		for _, m := range labelReplace.FindAllStringSubmatch(e.expr, -1) {
			avail[m[1]] = true
		}
		check := func(what, label string) {
			if !avail[label] {
				t.Errorf("%s: %s label %q is on none of the metrics queried", e.where, what, label)
			}
		}
		for _, m := range grouping.FindAllStringSubmatch(e.expr, -1) {
			for _, l := range strings.Split(m[1], ",") {
				if l = strings.TrimSpace(l); l != "" {
					check("grouping", l)
				}
			}
		}
		for _, u := range e.uses {
			for _, m := range legendLabel.FindAllStringSubmatch(u, -1) {
				if m[1] != "value" {
					check("printed", m[1])
				}
			}
			for _, m := range annotLabel.FindAllStringSubmatch(u, -1) {
				check("printed", m[1])
			}
		}
		if trawlerRefs == 0 && !strings.Contains(e.expr, "up{") && !strings.Contains(e.expr, "go_") && !strings.Contains(e.expr, "process_") {
			t.Errorf("%s: queries no trawler metric: %s", e.where, e.expr)
		}
	}
	// The dashboard shows every trawler family the code registers.
	for name, f := range fams {
		if !strings.HasPrefix(name, "trawler_") {
			continue
		}
		shown := used[name] || used[name+"_bucket"] || used[name+"_sum"] || used[name+"_count"]
		if !shown {
			t.Errorf("%s (%s) is registered but neither the dashboard nor an alert uses it", name, f.kind)
		}
	}
}

// balanced reports unbalanced brackets outside string literals.
func balanced(expr string) error {
	var stack []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	inString := false
	for i := 0; i < len(expr); i++ {
		c := rune(expr[i])
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, c)
		case c == ')' || c == ']' || c == '}':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[c] {
				return fmt.Errorf("unbalanced %q at byte %d", c, i)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if inString {
		return errors.New("unterminated string")
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed %q", stack[len(stack)-1])
	}
	return nil
}

var (
	flagDecl = regexp.MustCompile(`\bfs\.[A-Z][A-Za-z0-9]*\(\s*(?:&[A-Za-z0-9_.]+\s*,\s*)?"([a-z][a-z0-9-]*)"`)
	envRef   = regexp.MustCompile(`\bTRAWLER_[A-Z0-9_]+\b`)
)

// cmdSources returns the Go sources of cmd/trawler, tests excluded: package
// main cannot be imported, so what it declares is read from its source.
func cmdSources(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../cmd/trawler/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var srcs []string
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(data))
	}
	return srcs
}

// flagEnvVars returns the environment variable of every flag cmd/trawler
// declares, mapped to the flag's name: --host-delay is TRAWLER_HOST_DELAY.
func flagEnvVars(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, data := range cmdSources(t) {
		for _, m := range flagDecl.FindAllStringSubmatch(data, -1) {
			env["TRAWLER_"+strings.ToUpper(strings.ReplaceAll(m[1], "-", "_"))] = m[1]
		}
	}
	for _, want := range []string{"TRAWLER_NATS", "TRAWLER_METRICS_ADDR", "TRAWLER_SINK", "TRAWLER_NAMESPACE", "TRAWLER_CONCURRENCY"} {
		if env[want] == "" {
			t.Fatalf("no flag for %s found in cmd/trawler; the flag scan is broken (found %v)", want, env)
		}
	}
	return env
}

// TestEnvVarsAreFlags checks that every TRAWLER_* variable the deploy files
// set or mention is a real flag's: a misspelt or removed one is silently
// ignored by the binary.
func TestEnvVarsAreFlags(t *testing.T) {
	flags := flagEnvVars(t)
	// Upper-case JetStream names share the prefix; they are not variables.
	names := trawler.Names{NS: trawler.DefaultNamespace}
	jsNames := []string{names.FrontierStream(), names.PagesStream(), names.ArticlesStream(),
		names.DeadLetterStream(), names.SeenBucket(), names.ScopeBucket(), names.LeaseBucket(), names.ScheduleBucket()}
	seen := map[string]bool{}
	for _, path := range deployFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range envRef.FindAllString(string(data), -1) {
			if slices.Contains(jsNames, v) || strings.HasPrefix(v, "TRAWLER_TEST_") {
				continue // JetStream names; the tests' own switches
			}
			seen[v] = true
			if flags[v] == "" {
				t.Errorf("%s: %s is not the variable of any flag of cmd/trawler", path, v)
			}
		}
	}
	if len(seen) < 8 {
		t.Errorf("only %d TRAWLER_* variables found in deploy/; the scan is broken", len(seen))
	}
}

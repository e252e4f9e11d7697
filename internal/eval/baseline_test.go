package eval

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRegressions(t *testing.T) {
	base := Baseline{BodyF1: 0.95, TitleExact: 0.7, TitleLoose: 0.8, Date: 0.9}
	if r := base.Regressions(Baseline{BodyF1: 0.9451, TitleExact: 0.7, TitleLoose: 0.81, Date: 0.96}); len(r) != 0 {
		t.Errorf("within tolerance, got %q", r)
	}
	r := base.Regressions(Baseline{BodyF1: 0.944, TitleExact: 0.7, TitleLoose: 0.8, Date: 0.89})
	if len(r) != 2 || !strings.HasPrefix(r[0], "body F1") || !strings.HasPrefix(r[1], "date") {
		t.Errorf("got %q, want body F1 and date", r)
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.json")
	if err := WriteBaseline(path, Baseline{BodyF1: 0.95237, TitleLoose: 0.5, Date: 1}); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if b != (Baseline{BodyF1: 0.9523, TitleLoose: 0.5, Date: 1}) {
		t.Errorf("read back %+v", b)
	}
}

func TestReport(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := NewReport("x")
	r.Add(Case{Source: "a", Title: "T", Published: "2024-07-25", Author: "Jane Doe", Body: "one two three four"},
		Output{Title: "T", Published: "2024-07-25T01:00:00Z", Authors: []string{"Jane Doe"}, Body: "one two three four", Elapsed: time.Millisecond}, now)
	r.Add(Case{Source: "b", Body: "one two"}, Output{Published: "2027-01-01", Body: "three", Elapsed: 3 * time.Millisecond}, now)
	o := r.BySource[Overall]
	if o.Pages != 2 || o.F1 != 0.5 || o.TitleLoose != 1 || o.Date != 1 || o.Author != 1 || o.BadDates != 1 || o.MSPerPage() != 2 {
		t.Errorf("overall %+v", o)
	}
	if g := r.Groups(); strings.Join(g, ",") != "a,b,overall" {
		t.Errorf("groups %v", g)
	}
	var sb strings.Builder
	if err := WriteTable(&sb, r); err != nil || strings.Count(sb.String(), "\n") != 5 {
		t.Errorf("table %q, %v", sb.String(), err)
	}
}

package eval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	base := Baseline{
		"extraction": {MeasureBodyF1: 0.95, MeasureDate: 0.9},
		"pagetypes":  {MeasureListingRecall: 0.6, MeasureOtherAsArticle: 0.3},
	}
	for _, tc := range []struct {
		name                   string
		got                    Baseline
		regressions, unchecked []string // prefixes
	}{
		{"equal", base, nil, nil},
		{"within tolerance both ways", Baseline{
			"extraction": {MeasureBodyF1: 0.9451, MeasureDate: 0.99},
			"pagetypes":  {MeasureListingRecall: 0.5951, MeasureOtherAsArticle: 0.3049},
		}, nil, nil},
		{"higher-is-better falls", Baseline{
			"extraction": {MeasureBodyF1: 0.944, MeasureDate: 0.89},
			"pagetypes":  {MeasureListingRecall: 0.59, MeasureOtherAsArticle: 0.3},
		}, []string{"extraction: body F1 0.9440 is below", "extraction: date 0.8900 is below", "pagetypes: listing recall 0.5900 is below"}, nil},
		// Other written as article is better lower: falling passes, rising fails.
		{"lower-is-better rises", Baseline{
			"extraction": {MeasureBodyF1: 0.95, MeasureDate: 0.9},
			"pagetypes":  {MeasureListingRecall: 0.6, MeasureOtherAsArticle: 0.31},
		}, []string{"pagetypes: other written as article 0.3100 is above"}, nil},
		{"lower-is-better falls", Baseline{
			"extraction": {MeasureBodyF1: 0.95, MeasureDate: 0.9},
			"pagetypes":  {MeasureListingRecall: 0.6, MeasureOtherAsArticle: 0.1},
		}, nil, nil},
		{"set absent", Baseline{"extraction": {MeasureBodyF1: 0.95, MeasureDate: 0.9}}, nil,
			[]string{"pagetypes listing recall", "pagetypes other written as article"}},
	} {
		regs, unchecked := base.Check(tc.got)
		if !prefixes(regs, tc.regressions) || !prefixes(unchecked, tc.unchecked) {
			t.Errorf("%s: regressions %q, unchecked %q; want %q, %q", tc.name, regs, unchecked, tc.regressions, tc.unchecked)
		}
	}
}

func prefixes(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !strings.HasPrefix(got[i], want[i]) {
			return false
		}
	}
	return true
}

func TestBaselineRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.json")
	in := Baseline{"extraction": {MeasureBodyF1: 0.95237, MeasureTitleLoose: 0.5}, "pagetypes": {MeasureOtherAsArticle: 1}}
	if err := WriteBaseline(path, in); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Baseline{"extraction": {MeasureBodyF1: 0.9523, MeasureTitleLoose: 0.5}, "pagetypes": {MeasureOtherAsArticle: 1}}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("read back %+v, want %+v", b, want)
	}
}

// TestReadLegacyBaseline reads the first format, a flat object of the
// extraction set's overall scores, as that set's figures.
func TestReadLegacyBaseline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.json")
	legacy := `{"body_f1": 0.9584, "title_exact": 0.8241, "title_loose": 0.8659, "date": 0.8838}`
	if err := os.WriteFile(path, []byte(legacy), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Baseline{"extraction": {MeasureBodyF1: 0.9584, MeasureTitleExact: 0.8241, MeasureTitleLoose: 0.8659, MeasureDate: 0.8838}}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("read %+v, want %+v", b, want)
	}
}

func TestFiguresOf(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var s Scores
	s.Add(Case{Published: "2024-07-25", Title: "T", With: []string{"a"}}, Output{Published: "2024-07-25", PageType: "article", Body: "a", Title: "T"}, now)
	s.Add(Case{Published: "2024-07-25"}, Output{PageType: "hub"}, now)
	got := FiguresOf("dates", &s)
	want := Figures{MeasureTitleExact: 1, MeasureTitleLoose: 1, MeasureDate: 0.5, MeasureDateCoverage: 0.5, MeasureSnippetF1: 1, MeasureArticleRecall: 0.5}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dates figures %+v, want %+v", got, want)
	}
	// No page of a kind, no figure: a run cut short is not gated on it.
	if got := FiguresOf("pagetypes", &s); !reflect.DeepEqual(got, Figures{MeasureSnippetF1: 1}) {
		t.Errorf("pagetypes figures on article pages %+v", got)
	}
}

func TestReport(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := NewReport("x")
	r.Add(Case{Source: "a", Title: "T", Published: "2024-07-25", Author: "Jane Doe", Body: "one two three four"},
		Output{Title: "T", Published: "2024-07-25T01:00:00Z", Authors: []string{"Jane Doe"}, Body: "one two three four", PageType: "article", Elapsed: time.Millisecond}, now)
	r.Add(Case{Source: "b", Body: "one two"}, Output{Published: "2027-01-01", Body: "three", PageType: "hub", Elapsed: 3 * time.Millisecond}, now)
	o := r.Overall()
	if o.Pages != 2 || o.F1 != 0.5 || o.TitleLoose != 1 || o.Date != 1 || o.DateCoverage != 1 || o.Author != 1 || o.BadDates != 1 || o.MSPerPage() != 2 {
		t.Errorf("overall %+v", o)
	}
	if o.Types.ArticleRecall() != 0.5 || o.Types[KindArticle][KindHub] != 1 {
		t.Errorf("page types %v", o.Types)
	}
	if g := r.Groups(); strings.Join(g, ",") != "a,b,overall" {
		t.Errorf("groups %v", g)
	}
	var sb strings.Builder
	if err := WriteTable(&sb, r); err != nil || strings.Count(sb.String(), "\n") != 5 {
		t.Errorf("table %q, %v", sb.String(), err)
	}
	sb.Reset()
	if err := WriteSnippets(&sb, r); err != nil || sb.Len() != 0 {
		t.Errorf("snippet table without snippets %q, %v", sb.String(), err)
	}
	p := NewReport("x")
	p.GroupBy = ByPageType
	p.Add(Case{Source: "wcxb", PageType: "forum"}, Output{}, now)
	if g := p.Groups(); strings.Join(g, ",") != "forum,overall" {
		t.Errorf("groups by page type %v", g)
	}
}

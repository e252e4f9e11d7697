package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
)

// The gated measures, by their names in the baseline file.
const (
	MeasureBodyF1         = "body_f1"
	MeasureTitleExact     = "title_exact"
	MeasureTitleLoose     = "title_loose"
	MeasureDate           = "date"
	MeasureDateCoverage   = "date_coverage"
	MeasureAuthor         = "author"
	MeasureSnippetF1      = "snippet_f1"
	MeasureArticleRecall  = "article_recall"
	MeasureListingRecall  = "listing_recall"
	MeasureOtherAsArticle = "other_as_article"
)

// measures says how to read each gated measure from a set's overall
// scores: its label, whether it exists on the set (the pages it is a
// share of), and whether lower is better.
var measures = map[string]struct {
	label string
	value func(*Scores) (v float64, pages int)
	lower bool
}{
	MeasureBodyF1:         {"body F1", func(s *Scores) (float64, int) { return s.F1, s.BodyPages }, false},
	MeasureTitleExact:     {"title exact", func(s *Scores) (float64, int) { return s.TitleExact, s.TitlePages }, false},
	MeasureTitleLoose:     {"title loose", func(s *Scores) (float64, int) { return s.TitleLoose, s.TitlePages }, false},
	MeasureDate:           {"date", func(s *Scores) (float64, int) { return s.Date, s.DatePages }, false},
	MeasureDateCoverage:   {"date coverage", func(s *Scores) (float64, int) { return s.DateCoverage, s.DatePages }, false},
	MeasureAuthor:         {"author", func(s *Scores) (float64, int) { return s.Author, s.AuthorPages }, false},
	MeasureSnippetF1:      {"snippet F1", func(s *Scores) (float64, int) { return s.Snippets.F1(), s.SnippetPages }, false},
	MeasureArticleRecall:  {"article recall", func(s *Scores) (float64, int) { return s.Types.ArticleRecall(), s.Types.Pages(KindArticle) }, false},
	MeasureListingRecall:  {"listing recall", func(s *Scores) (float64, int) { return s.Types.ListingRecall(), s.Types.Pages(KindHub) }, false},
	MeasureOtherAsArticle: {"other written as article", func(s *Scores) (float64, int) { return s.Types.OtherAsArticle(), s.Types.Pages(KindOther) }, true},
}

// gated lists the measures the gate holds on each set. The pagetypes
// set's bodies and titles are reported, not gated: page-type work moves
// them on purpose. The dates set's titles (411 of its pages have one) are
// gated since the parser was tuned on them (2026-12-05).
var gated = map[string][]string{
	"extraction": {MeasureBodyF1, MeasureTitleExact, MeasureTitleLoose, MeasureDate, MeasureDateCoverage, MeasureAuthor, MeasureSnippetF1, MeasureArticleRecall},
	"dates":      {MeasureTitleExact, MeasureTitleLoose, MeasureDate, MeasureDateCoverage, MeasureAuthor, MeasureSnippetF1, MeasureArticleRecall},
	"pagetypes":  {MeasureSnippetF1, MeasureListingRecall, MeasureOtherAsArticle},
}

// legacySet is the set a baseline file of the first format (one flat
// object of overall extraction scores) describes.
const legacySet = "extraction"

// Figures are one set's gated measures by name.
type Figures map[string]float64

// Baseline is the checked-in quality the regression gate holds the parser
// to: each set's figures, by set name.
type Baseline map[string]Figures

// Tolerance is how far a measure may move the wrong way from the baseline
// before the gate fails: 1.5 to 3.5 pages of the 311 to 670 pages most
// measures cover, but less than one of the 119 listings and collections,
// so that listing recall fails on any page lost.
const Tolerance = 0.005

// FiguresOf takes the measures gated on set from its overall scores,
// leaving out those the run has no pages for (a run cut short by -n).
func FiguresOf(set string, s *Scores) Figures {
	f := Figures{}
	for _, name := range gated[set] {
		if v, pages := measures[name].value(s); pages > 0 {
			f[name] = v
		}
	}
	return f
}

// ReadBaseline reads a baseline file: an object of sets, or the first
// format, a flat object of the extraction set's overall scores.
func ReadBaseline(path string) (Baseline, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("read baseline %s: %w", path, err)
	}
	b := Baseline{}
	for key, v := range top {
		if v = bytes.TrimSpace(v); len(v) > 0 && v[0] != '{' {
			var x float64
			if err := json.Unmarshal(v, &x); err != nil {
				return nil, fmt.Errorf("read baseline %s: %s: %w", path, key, err)
			}
			if b[legacySet] == nil {
				b[legacySet] = Figures{}
			}
			b[legacySet][key] = x
			continue
		}
		var f Figures
		if err := json.Unmarshal(v, &f); err != nil {
			return nil, fmt.Errorf("read baseline %s: %s: %w", path, key, err)
		}
		if b[key] == nil {
			b[key] = Figures{}
		}
		maps.Copy(b[key], f)
	}
	return b, nil
}

// WriteBaseline writes b to path, truncated to four decimals so that the
// file does not change with noise in the last digits.
func WriteBaseline(path string, b Baseline) error {
	out := Baseline{}
	for set, f := range b {
		out[set] = Figures{}
		for name, v := range f {
			out[set][name] = float64(int64(v*10000)) / 10000
		}
	}
	raw, err := json.MarshalIndent(out, "", "  ") // maps marshal in key order
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// Check compares a run with the baseline. Regressions are the measures
// that moved the wrong way by more than Tolerance (down, or up for
// lower-is-better measures); none means the gate passes. Unchecked are the
// baseline's measures the run did not measure (a set absent or cut short).
func (b Baseline) Check(got Baseline) (regressions, unchecked []string) {
	for _, set := range slices.Sorted(maps.Keys(b)) {
		for _, name := range slices.Sorted(maps.Keys(b[set])) {
			base := b[set][name]
			v, ok := got[set][name]
			if !ok {
				unchecked = append(unchecked, set+" "+label(name))
				continue
			}
			switch {
			case measures[name].lower && v > base+Tolerance:
				regressions = append(regressions, fmt.Sprintf("%s: %s %.4f is above the baseline %.4f by more than %.3f", set, label(name), v, base, Tolerance))
			case !measures[name].lower && v < base-Tolerance:
				regressions = append(regressions, fmt.Sprintf("%s: %s %.4f is below the baseline %.4f by more than %.3f", set, label(name), v, base, Tolerance))
			}
		}
	}
	return regressions, unchecked
}

// label names a measure for people; an unknown name (a newer file) is
// shown as it is, and gated as higher-is-better.
func label(name string) string {
	if m, ok := measures[name]; ok {
		return m.label
	}
	return name
}

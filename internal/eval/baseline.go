package eval

import (
	"encoding/json"
	"fmt"
	"os"
)

// Baseline is the checked-in overall quality the regression gate holds the
// parser to.
type Baseline struct {
	BodyF1     float64 `json:"body_f1"`
	TitleExact float64 `json:"title_exact"`
	TitleLoose float64 `json:"title_loose"`
	Date       float64 `json:"date"`
}

// Tolerance is how far below the baseline a measure may fall before the
// gate fails: less than one page in the smallest group it covers.
const Tolerance = 0.005

// BaselineOf takes the gated measures from overall scores.
func BaselineOf(s *Scores) Baseline {
	return Baseline{BodyF1: s.F1, TitleExact: s.TitleExact, TitleLoose: s.TitleLoose, Date: s.Date}
}

// ReadBaseline reads a baseline file.
func ReadBaseline(path string) (Baseline, error) {
	var b Baseline
	raw, err := os.ReadFile(path)
	if err != nil {
		return b, fmt.Errorf("read baseline: %w", err)
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return b, fmt.Errorf("read baseline %s: %w", path, err)
	}
	return b, nil
}

// WriteBaseline writes b to path, rounded to four decimals so that the file
// does not change with noise in the last digits.
func WriteBaseline(path string, b Baseline) error {
	r := func(v float64) float64 { return float64(int64(v*10000)) / 10000 }
	raw, err := json.MarshalIndent(Baseline{r(b.BodyF1), r(b.TitleExact), r(b.TitleLoose), r(b.Date)}, "", "  ")
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// Regressions lists the measures of got that fall more than Tolerance
// below the baseline; none means the gate passes.
func (b Baseline) Regressions(got Baseline) []string {
	var out []string
	for _, m := range []struct {
		name      string
		base, got float64
	}{
		{"body F1", b.BodyF1, got.BodyF1},
		{"title exact", b.TitleExact, got.TitleExact},
		{"title loose", b.TitleLoose, got.TitleLoose},
		{"date", b.Date, got.Date},
	} {
		if m.got < m.base-Tolerance {
			out = append(out, fmt.Sprintf("%s %.4f is below the baseline %.4f by more than %.3f", m.name, m.got, m.base, Tolerance))
		}
	}
	return out
}

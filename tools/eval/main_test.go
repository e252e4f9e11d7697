package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawler/trawler/internal/eval"
)

// TestSmoke runs the harness on the first pages of each shared set, when
// they are there; the full run is make eval.
func TestSmoke(t *testing.T) {
	bench := filepath.Join(repoRoot(), "..", "shared", "bench")
	for _, set := range []string{"extraction", "dates", "pagetypes"} {
		if _, err := os.Stat(filepath.Join(bench, set, "ground-truth.json")); err != nil {
			t.Skip("no " + set + " set in " + bench)
		}
	}
	var out strings.Builder
	base := filepath.Join(t.TempDir(), "baseline.json")
	if err := run([]string{"-bench", bench, "-n", "5", "-repeat", "1", "-related", "", "-write-baseline", base}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| trawler ", "| go-trafilatura+fallback ", "overall", "ratio",
		"extraction set", "dates set", "pagetypes set", "pagetypes snippets", "article recall", "listing recall", "other written as article"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The run just measured passes a gate at its own level...
	out.Reset()
	if err := run([]string{"-bench", bench, "-n", "5", "-repeat", "1", "-related", "", "-compare=false", "-check", base}, &out); err != nil {
		t.Errorf("gate against own baseline: %v\n%s", err, out.String())
	}
	// ...and fails against a better one.
	b, err := eval.ReadBaseline(base)
	if err != nil {
		t.Fatal(err)
	}
	b["extraction"][eval.MeasureArticleRecall] = 1.5
	if err := eval.WriteBaseline(base, b); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run([]string{"-bench", bench, "-sets", "extraction", "-n", "5", "-repeat", "1", "-related", "", "-compare=false", "-check", base}, &out)
	if !errors.Is(err, errRegression) || !strings.Contains(out.String(), "FAIL: extraction: article recall") ||
		!strings.Contains(out.String(), "not checked: dates") {
		t.Errorf("gate against a better baseline: %v\n%s", err, out.String())
	}
}

// TestAbsentSet skips a set without its folder, and refuses to write a
// baseline that would stop gating it.
func TestAbsentSet(t *testing.T) {
	bench := filepath.Join(repoRoot(), "..", "shared", "bench")
	if _, err := os.Stat(filepath.Join(bench, "extraction", "ground-truth.json")); err != nil {
		t.Skip("no extraction set in " + bench)
	}
	var out strings.Builder
	args := []string{"-bench", bench, "-sets", "extraction,nosuch", "-n", "2", "-repeat", "1", "-related", "", "-compare=false"}
	if err := run(args, &out); err != nil || !strings.Contains(out.String(), "nosuch set skipped") {
		t.Errorf("absent set: %v\n%s", err, out.String())
	}
	out.Reset()
	err := run(append(args, "-write-baseline", filepath.Join(t.TempDir(), "b.json")), &out)
	if err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("baseline with an absent set: %v", err)
	}
	if err := run([]string{"-bench", t.TempDir(), "-related", ""}, &out); err == nil {
		t.Error("no set at all: no error")
	}
}

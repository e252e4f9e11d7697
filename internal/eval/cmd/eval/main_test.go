package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSmoke runs the harness on the first pages of the shared set, when it
// is there; the full run is make eval.
func TestSmoke(t *testing.T) {
	data := filepath.Join(repoRoot(), "..", "shared", "bench", "extraction")
	if _, err := os.Stat(filepath.Join(data, "ground-truth.json")); err != nil {
		t.Skip("no extraction set at " + data)
	}
	var out strings.Builder
	base := filepath.Join(t.TempDir(), "baseline.json")
	if err := run([]string{"-data", data, "-n", "5", "-repeat", "1", "-related", "", "-write-baseline", base}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| trawler ", "| go-trafilatura+fallback ", "overall", "ratio"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The run just measured passes a gate at its own level.
	out.Reset()
	if err := run([]string{"-data", data, "-n", "5", "-repeat", "1", "-related", "", "-compare=false", "-check", base}, &out); err != nil {
		t.Errorf("gate against own baseline: %v\n%s", err, out.String())
	}
}

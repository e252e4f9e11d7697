// Command eval scores the parser on the shared article-extraction set and
// prints one table: body P/R/F1 (ScrapingHub's metric), title, published
// day, author and ms/page, per source and overall, with go-trafilatura
// (Extract with fallback, as a user would call it) measured in the same
// run on one core for comparison. With -check it is the regression gate.
//
//	go run ./internal/eval/cmd/eval                      # make eval
//	go run ./internal/eval/cmd/eval -compare=false -check internal/eval/baseline.json
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/trawler/trawler/internal/eval"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

// errRegression is returned when the gate fails.
var errRegression = errors.New("quality regression")

type config struct {
	data, related, check, writeBaseline, dump string
	cpuProfile                                string
	limit, procs, repeat                      int
	compare                                   bool
}

func run(args []string, stdout io.Writer) error {
	root := repoRoot()
	var c config
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.StringVar(&c.data, "data", filepath.Join(root, "..", "shared", "bench", "extraction"), "extraction set: ground-truth.json and html/")
	fs.StringVar(&c.related, "related", filepath.Join(root, "parser", "testdata", "related"), "hand-labelled related links (empty: skip)")
	fs.StringVar(&c.check, "check", "", "baseline JSON: fail when overall body F1, title or date fall more than 0.005 below it")
	fs.StringVar(&c.writeBaseline, "write-baseline", "", "write the overall scores to this baseline JSON")
	fs.StringVar(&c.dump, "dump", "", "write each page's output and scores as JSON lines here, for failure analysis")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the run here")
	fs.IntVar(&c.limit, "n", 0, "score only the first n pages (0: all)")
	fs.IntVar(&c.repeat, "repeat", 3, "time each page this many times and keep the fastest (noise on a shared machine)")
	fs.IntVar(&c.procs, "procs", 1, "GOMAXPROCS while measuring (speed is quoted for one core)")
	fs.BoolVar(&c.compare, "compare", true, "also run go-trafilatura with fallback, for quality and the speed ratio")
	if err := fs.Parse(args); err != nil {
		return err
	}
	runtime.GOMAXPROCS(c.procs)

	ds, err := eval.Load(c.data)
	if err != nil {
		return err
	}
	if c.limit > 0 && c.limit < len(ds.Cases) {
		ds.Cases = ds.Cases[:c.limit]
	}
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	ours, theirs, err := measure(ds, c)
	if err != nil {
		return err
	}
	reports := []*eval.Report{ours}
	if theirs != nil {
		reports = append(reports, theirs)
	}
	fmt.Fprintf(stdout, "extraction set %s: %d pages, GOMAXPROCS=%d, fastest of %d runs a page, %s\n\n", c.data, len(ds.Cases), c.procs, c.repeat, time.Now().UTC().Format(time.DateOnly))
	if err := eval.WriteTable(stdout, reports...); err != nil {
		return err
	}
	o := ours.BySource[eval.Overall]
	fmt.Fprintf(stdout, "\nspeed: trawler %.1f pages/s", o.PagesPerSecond())
	if theirs != nil {
		t := theirs.BySource[eval.Overall]
		fmt.Fprintf(stdout, ", go-trafilatura+fallback %.1f pages/s: ratio %.2f×", t.PagesPerSecond(), o.PagesPerSecond()/t.PagesPerSecond())
	}
	fmt.Fprintln(stdout)
	if c.related != "" {
		if err := reportRelated(stdout, c.related, ds); err != nil {
			return err
		}
	}
	got := eval.BaselineOf(o)
	if c.writeBaseline != "" {
		if err := eval.WriteBaseline(c.writeBaseline, got); err != nil {
			return err
		}
	}
	if c.check != "" {
		base, err := eval.ReadBaseline(c.check)
		if err != nil {
			return err
		}
		if regs := base.Regressions(got); len(regs) > 0 {
			for _, r := range regs {
				fmt.Fprintln(stdout, "FAIL:", r)
			}
			return fmt.Errorf("%w against %s", errRegression, c.check)
		}
		fmt.Fprintf(stdout, "gate: overall scores within %.3f of %s\n", eval.Tolerance, c.check)
	}
	return nil
}

// repoRoot finds the module root from the working directory, so that the
// default paths hold wherever in the repo the command runs.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

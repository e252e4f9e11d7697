// Command eval scores the parser on the shared real-page sets
// (../shared/bench: extraction, dates, pagetypes) and prints, per set, one
// table of body P/R/F1 (ScrapingHub's metric), title, published day and
// date coverage, author, page-type shares and ms/page per group and
// overall, one of trafilatura-style snippet checks, and, over all sets,
// the page-type confusion; go-trafilatura (Extract with fallback, as a
// user would call it) is measured in the same run on one core for
// comparison. With -check it is the regression gate.
//
//	go run ./tools/eval                    # make eval
//	go run ./tools/eval -compare=false -repeat 1 -check internal/eval/baseline.json
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
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
	bench, sets, related, check, writeBaseline, dump string
	cpuProfile                                       string
	limit, procs, repeat                             int
	compare                                          bool
}

func run(args []string, stdout io.Writer) error {
	root := repoRoot()
	var c config
	fl := flag.NewFlagSet("eval", flag.ContinueOnError)
	fl.StringVar(&c.bench, "bench", filepath.Join(root, "..", "shared", "bench"), "folder of the sets, each with ground-truth.json and html/")
	fl.StringVar(&c.sets, "sets", "extraction,dates,pagetypes", "comma-separated sets to score; a set whose folder is absent is skipped")
	fl.StringVar(&c.related, "related", filepath.Join(root, "parser", "testdata", "related"), "hand-labelled related links (empty: skip)")
	fl.StringVar(&c.check, "check", "", "baseline JSON: fail when a gated figure moves the wrong way by more than 0.005")
	fl.StringVar(&c.writeBaseline, "write-baseline", "", "write the gated figures of every set to this baseline JSON")
	fl.StringVar(&c.dump, "dump", "", "write each page's output and scores as JSON lines here, for failure analysis")
	fl.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the run here")
	fl.IntVar(&c.limit, "n", 0, "score only the first n pages of each set (0: all)")
	fl.IntVar(&c.repeat, "repeat", 3, "time each page this many times and keep the fastest (noise on a shared machine)")
	fl.IntVar(&c.procs, "procs", 1, "GOMAXPROCS while measuring (speed is quoted for one core)")
	fl.BoolVar(&c.compare, "compare", true, "also run go-trafilatura with fallback, for quality and the speed ratio")
	if err := fl.Parse(args); err != nil {
		return err
	}
	runtime.GOMAXPROCS(c.procs)

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
	var dump *bufio.Writer
	if c.dump != "" {
		f, err := os.Create(c.dump)
		if err != nil {
			return fmt.Errorf("dump: %w", err)
		}
		defer f.Close()
		dump = bufio.NewWriter(f)
		defer dump.Flush()
	}

	var (
		done       []eval.SetReports
		skipped    []string
		extraction *eval.Dataset // for the related-link labels, which name its pages
		got        = eval.Baseline{}
	)
	for _, set := range strings.Split(c.sets, ",") {
		set = strings.TrimSpace(set)
		dir := filepath.Join(c.bench, set)
		if _, err := os.Stat(filepath.Join(dir, "ground-truth.json")); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(stdout, "%s set skipped: no %s\n\n", set, filepath.Join(dir, "ground-truth.json"))
			skipped = append(skipped, set)
			continue
		}
		ds, err := eval.Load(dir)
		if err != nil {
			return err
		}
		if c.limit > 0 && c.limit < len(ds.Cases) {
			ds.Cases = ds.Cases[:c.limit]
		}
		if set == "extraction" {
			extraction = ds
		}
		ours, theirs, err := measure(set, ds, c, dump)
		if err != nil {
			return err
		}
		reports := []*eval.Report{ours}
		if theirs != nil {
			reports = append(reports, theirs)
		}
		if err := writeSet(stdout, set, dir, len(ds.Cases), c, reports); err != nil {
			return err
		}
		done = append(done, eval.SetReports{Name: set, Reports: reports})
		got[set] = eval.FiguresOf(set, ours.Overall())
	}
	if len(done) == 0 {
		return fmt.Errorf("no set found in %s (sets %s)", c.bench, c.sets)
	}
	fmt.Fprintf(stdout, "page types over %s:\n\n", setNames(done))
	if err := eval.WriteConfusion(stdout, done); err != nil {
		return err
	}
	if c.related != "" {
		fmt.Fprintln(stdout)
		if err := reportRelated(stdout, c.related, extraction); err != nil {
			return err
		}
	}
	if c.writeBaseline != "" {
		// A baseline without a set would stop gating it unnoticed.
		if len(skipped) > 0 {
			return fmt.Errorf("write baseline: sets %s were not measured", strings.Join(skipped, ", "))
		}
		if err := eval.WriteBaseline(c.writeBaseline, got); err != nil {
			return err
		}
	}
	if c.check != "" {
		return gate(stdout, c.check, got)
	}
	return nil
}

// writeSet prints one set's tables and speed line.
func writeSet(w io.Writer, set, dir string, pages int, c config, reports []*eval.Report) error {
	fmt.Fprintf(w, "%s set %s: %d pages, GOMAXPROCS=%d, fastest of %d runs a page, %s\n\n", set, dir, pages, c.procs, c.repeat, time.Now().UTC().Format(time.DateOnly))
	if err := eval.WriteTable(w, reports...); err != nil {
		return err
	}
	if reports[0].Overall().SnippetPages > 0 {
		fmt.Fprintf(w, "\n%s snippets (with: must be in the body, without: must not):\n\n", set)
		if err := eval.WriteSnippets(w, reports...); err != nil {
			return err
		}
	}
	o := reports[0].Overall()
	fmt.Fprintf(w, "\nspeed on %s: %s %.1f pages/s", set, reports[0].System, o.PagesPerSecond())
	if len(reports) > 1 {
		t := reports[1].Overall()
		fmt.Fprintf(w, ", %s %.1f pages/s: ratio %.2f×", reports[1].System, t.PagesPerSecond(), o.PagesPerSecond()/t.PagesPerSecond())
	}
	fmt.Fprint(w, "\n\n")
	return nil
}

// gate checks the run's figures against the baseline file.
func gate(w io.Writer, path string, got eval.Baseline) error {
	base, err := eval.ReadBaseline(path)
	if err != nil {
		return err
	}
	regs, unchecked := base.Check(got)
	if len(unchecked) > 0 {
		fmt.Fprintf(w, "gate: not measured in this run, not checked: %s\n", strings.Join(unchecked, ", "))
	}
	if len(regs) > 0 {
		for _, r := range regs {
			fmt.Fprintln(w, "FAIL:", r)
		}
		return fmt.Errorf("%w against %s", errRegression, path)
	}
	fmt.Fprintf(w, "gate: every measured figure within %.3f of %s\n", eval.Tolerance, path)
	return nil
}

func setNames(sets []eval.SetReports) string {
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
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

package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Output is what one system extracted from one page.
type Output struct {
	Title     string
	Published string // RFC 3339 or YYYY-MM-DD; empty when unknown
	Authors   []string
	Body      string
	Elapsed   time.Duration // time the system took on the page
}

// Scores aggregates one system's outputs over a group of pages.
type Scores struct {
	Pages                      int
	Precision, Recall, F1      float64 // body, benchmark-style
	TitlePages                 int     // pages with a ground-truth title
	TitleExact, TitleLoose     float64 // shares of TitlePages
	DatePages                  int     // pages with a ground-truth day
	Date                       float64 // share of DatePages on the right day
	BadDates                   int     // dates after the run or before 1990, over all pages
	AuthorPages                int     // pages with a ground-truth author
	Author                     float64 // share of AuthorPages matched
	Elapsed                    time.Duration
	matches                    []Match
	titleEx, titleLo, day, aut int
}

// MSPerPage is the mean time per page in milliseconds.
func (s *Scores) MSPerPage() float64 {
	if s.Pages == 0 {
		return 0
	}
	return float64(s.Elapsed.Microseconds()) / 1000 / float64(s.Pages)
}

// PagesPerSecond is the throughput the elapsed time gives.
func (s *Scores) PagesPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Pages) / s.Elapsed.Seconds()
}

// minDay is the earliest publication day a news page can have here.
const minDay = "1990-01-01"

// Add scores one page.
func (s *Scores) Add(c Case, o Output, now time.Time) {
	s.Pages++
	s.Elapsed += o.Elapsed
	s.matches = append(s.matches, ScoreBody(c.Body, o.Body))
	if c.Title != "" {
		s.TitlePages++
		if TitleExact(c.Title, o.Title) {
			s.titleEx++
		}
		if TitleLoose(c.Title, o.Title) {
			s.titleLo++
		}
	}
	if c.Published != "" {
		s.DatePages++
		if SameDay(c.Published, o.Published) {
			s.day++
		}
	}
	if len(o.Published) >= 10 {
		if d := o.Published[:10]; d < minDay || d > now.Format(time.DateOnly) {
			s.BadDates++
		}
	}
	if c.Author != "" {
		s.AuthorPages++
		if AuthorMatch(c.Author, o.Authors) {
			s.aut++
		}
	}
	s.Precision, s.Recall, s.F1 = PRF(s.matches)
	s.TitleExact, s.TitleLoose = share(s.titleEx, s.TitlePages), share(s.titleLo, s.TitlePages)
	s.Date, s.Author = share(s.day, s.DatePages), share(s.aut, s.AuthorPages)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Overall names the group of all pages in a Report.
const Overall = "overall"

// Report holds one system's scores per source and overall.
type Report struct {
	System   string
	BySource map[string]*Scores
}

// NewReport starts an empty report for system.
func NewReport(system string) *Report {
	return &Report{System: system, BySource: map[string]*Scores{Overall: {}}}
}

// Add scores one page under its source and overall.
func (r *Report) Add(c Case, o Output, now time.Time) {
	s := r.BySource[c.Source]
	if s == nil {
		s = &Scores{}
		r.BySource[c.Source] = s
	}
	s.Add(c, o, now)
	r.BySource[Overall].Add(c, o, now)
}

// Groups returns the source names in order, overall last.
func (r *Report) Groups() []string {
	var gs []string
	for g := range r.BySource {
		if g != Overall {
			gs = append(gs, g)
		}
	}
	slices.Sort(gs)
	return append(gs, Overall)
}

// WriteTable prints the reports as one Markdown table: a row per system
// and source, overall last for each system.
func WriteTable(w io.Writer, reports ...*Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| system\t| source\t| pages\t| body P\t| body R\t| body F1\t| title exact\t| title loose\t| date (n)\t| bad dates\t| author (n)\t| ms/page\t|")
	fmt.Fprintln(tw, strings.Repeat("| ---\t", 12)+"|")
	for _, r := range reports {
		for _, g := range r.Groups() {
			s := r.BySource[g]
			fmt.Fprintf(tw, "| %s\t| %s\t| %d\t| %.3f\t| %.3f\t| %.3f\t| %s\t| %s\t| %s\t| %d\t| %s\t| %.1f\t|\n",
				r.System, g, s.Pages, s.Precision, s.Recall, s.F1,
				rate(s.TitleExact, s.TitlePages), rate(s.TitleLoose, s.TitlePages),
				rateN(s.Date, s.DatePages), s.BadDates, rateN(s.Author, s.AuthorPages), s.MSPerPage())
		}
	}
	return tw.Flush()
}

func rate(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}

func rateN(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f (%d)", v, n)
}

package eval

import (
	"slices"
	"time"
)

// Output is what one system extracted from one page.
type Output struct {
	Title     string
	Published string // RFC 3339 or YYYY-MM-DD; empty when unknown
	Authors   []string
	Body      string
	// PageType is the system's verdict: "article", "hub" or anything else
	// (counted as other, see PredictedKind).
	PageType string
	Elapsed  time.Duration // time the system took on the page
}

// Scores aggregates one system's outputs over a group of pages.
type Scores struct {
	Pages                  int
	BodyPages              int      // pages with a ground-truth body
	Precision, Recall, F1  float64  // body, benchmark-style, over all pages
	TitlePages             int      // pages with a ground-truth title
	TitleExact, TitleLoose float64  // shares of TitlePages
	DatePages              int      // pages with a ground-truth day
	Date                   float64  // share of DatePages on the right day
	DateCoverage           float64  // share of DatePages given any date
	BadDates               int      // dates after the run or before 1990, over all pages
	AuthorPages            int      // pages with a ground-truth author
	Author                 float64  // share of AuthorPages matched
	SnippetPages           int      // pages with with/without snippets
	Snippets               Snippets // summed over SnippetPages
	Types                  Confusion
	Elapsed                time.Duration
	matches                []Match
	days                   Days
	titleEx, titleLo, aut  int
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
	if c.Body != "" {
		s.BodyPages++
	}
	// Every page counts for the body, as in the benchmark: a page whose
	// truth is empty costs precision when something is extracted.
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
	s.days.Add(c.Published, o.Published)
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
	if len(c.With)+len(c.Without) > 0 {
		s.SnippetPages++
		s.Snippets.Add(CountSnippets(c.With, c.Without, o.Body))
	}
	s.Types.Add(TruthKind(c.PageType), PredictedKind(o.PageType))
	s.Precision, s.Recall, s.F1 = PRF(s.matches)
	s.TitleExact, s.TitleLoose = share(s.titleEx, s.TitlePages), share(s.titleLo, s.TitlePages)
	s.DatePages, s.Date, s.DateCoverage = s.days.Pages, s.days.Accuracy(), s.days.Coverage()
	s.Author = share(s.aut, s.AuthorPages)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Overall names the group of all pages in a Report.
const Overall = "overall"

// Report holds one system's scores per group of pages and overall.
type Report struct {
	System string
	// NoHubs marks a system that only says whether a page has an article:
	// it cannot call a page a hub, so its hub figures are not applicable.
	NoHubs bool
	// GroupBy names a page's group; nil groups by source.
	GroupBy func(Case) string
	ByGroup map[string]*Scores
}

// NewReport starts an empty report for system.
func NewReport(system string) *Report {
	return &Report{System: system, ByGroup: map[string]*Scores{Overall: {}}}
}

// ByPageType groups the pages of the pagetypes set.
func ByPageType(c Case) string { return c.PageType }

// Add scores one page under its group and overall.
func (r *Report) Add(c Case, o Output, now time.Time) {
	g := c.Source
	if r.GroupBy != nil {
		g = r.GroupBy(c)
	}
	s := r.ByGroup[g]
	if s == nil {
		s = &Scores{}
		r.ByGroup[g] = s
	}
	s.Add(c, o, now)
	r.ByGroup[Overall].Add(c, o, now)
}

// Overall returns the scores over all pages.
func (r *Report) Overall() *Scores { return r.ByGroup[Overall] }

// Groups returns the group names in order, overall last.
func (r *Report) Groups() []string {
	var gs []string
	for g := range r.ByGroup {
		if g != Overall {
			gs = append(gs, g)
		}
	}
	slices.Sort(gs)
	return append(gs, Overall)
}

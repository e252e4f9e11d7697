package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the reports as one Markdown table: a row per system
// and group, overall last for each system. Body scores show "–" on a group
// without ground-truth bodies (the dates set), where they mean nothing.
func WriteTable(w io.Writer, reports ...*Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	header(tw, "system", "group", "pages", "body P", "body R", "body F1", "title exact", "title loose",
		"date (n)", "date coverage", "bad dates", "author (n)", "→ article", "→ hub", "ms/page")
	for _, r := range reports {
		for _, g := range r.Groups() {
			s := r.ByGroup[g]
			row(tw, r.System, g, fmt.Sprint(s.Pages),
				rate(s.Precision, s.BodyPages), rate(s.Recall, s.BodyPages), rate(s.F1, s.BodyPages),
				rate(s.TitleExact, s.TitlePages), rate(s.TitleLoose, s.TitlePages),
				rateN(s.Date, s.DatePages), rate(s.DateCoverage, s.DatePages), fmt.Sprint(s.BadDates),
				rateN(s.Author, s.AuthorPages),
				rate(share(s.Types.Predicted(KindArticle), s.Pages), s.Pages), hubRate(r, share(s.Types.Predicted(KindHub), s.Pages), s.Pages),
				fmt.Sprintf("%.1f", s.MSPerPage()))
		}
	}
	return tw.Flush()
}

// WriteSnippets prints trafilatura-style snippet scores for the groups
// with snippets; nothing when no page has any.
func WriteSnippets(w io.Writer, reports ...*Report) error {
	if len(reports) == 0 || reports[0].Overall().SnippetPages == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	header(tw, "system", "group", "pages", "snippets", "TP", "FP", "FN", "TN", "precision", "recall", "F1", "accuracy")
	for _, r := range reports {
		for _, g := range r.Groups() {
			s := r.ByGroup[g]
			if s.SnippetPages == 0 {
				continue
			}
			n := s.Snippets
			row(tw, r.System, g, fmt.Sprint(s.SnippetPages), fmt.Sprint(n.Total()),
				fmt.Sprint(n.TP), fmt.Sprint(n.FP), fmt.Sprint(n.FN), fmt.Sprint(n.TN),
				f3(n.Precision()), f3(n.Recall()), f3(n.F1()), f3(n.Accuracy()))
		}
	}
	return tw.Flush()
}

// SetReports is one set's reports, one per system, in the same order for
// every set of a run.
type SetReports struct {
	Name    string
	Reports []*Report
}

// truthLabels name the rows of the confusion table.
var truthLabels = [numKinds]string{
	KindArticle: "article",
	KindHub:     "hub (listing, collection)",
	KindOther:   "other (forum, product, service, documentation)",
}

// WriteConfusion prints the page-type confusion over all sets of the run,
// per system: a row per true kind (with a row per set under it when more
// than one set has pages of that kind), a column per predicted kind, each
// cell a count and its share of the row; then article recall, listing
// recall and the share of other pages written as articles.
func WriteConfusion(w io.Writer, sets []SetReports) error {
	if len(sets) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	header(tw, "system", "truth", "pages", "→ article", "→ hub", "→ other")
	totals := make([]Confusion, len(sets[0].Reports))
	for i, r := range sets[0].Reports {
		for _, set := range sets {
			totals[i].Merge(set.Reports[i].Overall().Types)
		}
		for k := range numKinds {
			if totals[i].Pages(k) == 0 {
				continue
			}
			confusionRow(tw, r, truthLabels[k], totals[i][k])
			var parts []SetReports
			for _, set := range sets {
				if set.Reports[i].Overall().Types.Pages(k) > 0 {
					parts = append(parts, set)
				}
			}
			if len(parts) < 2 {
				continue
			}
			for _, set := range parts {
				confusionRow(tw, r, "· "+set.Name, set.Reports[i].Overall().Types[k])
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, m := range []struct {
		label string
		kind  Kind
		value func(Confusion) float64
		hubs  bool // needs a system that tells hubs apart
	}{
		{"article recall (articles kept as articles)", KindArticle, Confusion.ArticleRecall, false},
		{"listing recall (listings and collections taken for hubs)", KindHub, Confusion.ListingRecall, true},
		{"other written as article (lower is better)", KindOther, Confusion.OtherAsArticle, false},
	} {
		var vs []string
		for i, r := range sets[0].Reports {
			v := rate(m.value(totals[i]), totals[i].Pages(m.kind))
			if m.hubs && r.NoHubs {
				v = "n/a (no hub notion)"
			}
			vs = append(vs, r.System+" "+v)
		}
		fmt.Fprintf(w, "%s: %s\n", m.label, strings.Join(vs, ", "))
	}
	for _, r := range sets[0].Reports {
		if r.NoHubs {
			fmt.Fprintf(w, "%s has no page type: a non-empty body counts as article, no body as other.\n", r.System)
		}
	}
	return nil
}

func confusionRow(tw io.Writer, r *Report, label string, counts [numKinds]int) {
	n := 0
	for _, v := range counts {
		n += v
	}
	cell := func(k Kind) string { return fmt.Sprintf("%d (%.3f)", counts[k], share(counts[k], n)) }
	hub := cell(KindHub)
	if r.NoHubs {
		hub = "n/a"
	}
	row(tw, r.System, label, fmt.Sprint(n), cell(KindArticle), hub, cell(KindOther))
}

// hubRate is rate, or n/a for a system that cannot call a page a hub.
func hubRate(r *Report, v float64, n int) string {
	if r.NoHubs {
		return "n/a"
	}
	return rate(v, n)
}

func header(tw io.Writer, cols ...string) {
	row(tw, cols...)
	fmt.Fprintln(tw, strings.Repeat("| ---\t", len(cols))+"|")
}

func row(tw io.Writer, cells ...string) {
	for _, c := range cells {
		fmt.Fprintf(tw, "| %s\t", c)
	}
	fmt.Fprintln(tw, "|")
}

func f3(v float64) string { return fmt.Sprintf("%.3f", v) }

func rate(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return f3(v)
}

func rateN(v float64, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f (%d)", v, n)
}

package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
)

// The summary counts every page type the parser gives, so pages that are
// neither articles nor hubs are not silently missing from it.
func TestSummaryCountsEveryPageType(t *testing.T) {
	reg := prometheus.NewRegistry()
	pages := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "trawler_parse_pages_total"}, []string{"page_type"})
	reg.MustRegister(pages)
	pages.WithLabelValues(trawler.PageArticle).Add(3)
	pages.WithLabelValues(trawler.PageHub).Add(2)
	pages.WithLabelValues(trawler.PageOther).Add(4)
	var out bytes.Buffer
	st := readStats(reg, nil)
	st.finish(time.Now().Add(-time.Second), time.Now())
	st.print(&out, false, false)
	if want := "parsed 9 pages (other 4, article 3, hub 2)"; !strings.Contains(out.String(), want) {
		t.Errorf("summary %q does not say %q", out.String(), want)
	}
}

// Log lines written while the progress line is shown clear it first and
// draw it again after, so the two never share a line.
func TestStatusWriterClearsTheLineForLogs(t *testing.T) {
	var buf bytes.Buffer
	w := &statusWriter{w: &buf, tty: true}
	w.setStatus("URLs 3")
	fmt.Fprint(w, "level=INFO msg=x\n")
	w.setStatus("")
	want := "\r\033[KURLs 3" + "\r\033[Klevel=INFO msg=x\nURLs 3" + "\r\033[K"
	if buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
}

package main

import (
	"bytes"
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
	newProgress(&out, reg).summary(time.Second, nil)
	if want := "parsed 3 articles, 2 hubs and 4 other pages"; !strings.Contains(out.String(), want) {
		t.Errorf("summary %q does not say %q", out.String(), want)
	}
}

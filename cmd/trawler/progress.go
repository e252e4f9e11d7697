package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/term"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/sink"
)

// progress shows a live line on a terminal and a summary at exit. It reads
// the process's own metrics, so what it shows is what /metrics says, the
// frontier's size included (one JetStream read per line, by the collector).
type progress struct {
	w   io.Writer
	tty bool
	reg prometheus.Gatherer
}

func newProgress(w io.Writer, reg prometheus.Gatherer) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: w, tty: tty, reg: reg}
}

// counts are the figures shown.
type counts struct {
	fetched, failed, articles, hubs, others, written, deadLetters float64
	queued                                                        float64 // frontier messages, -1 when JetStream did not answer
}

func (p *progress) read() counts {
	c := counts{queued: -1}
	mfs, err := p.reg.Gather()
	if err != nil {
		return c
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			v := m.GetCounter().GetValue()
			g := m.GetGauge().GetValue()
			label := func(name string) string {
				for _, l := range m.GetLabel() {
					if l.GetName() == name {
						return l.GetValue()
					}
				}
				return ""
			}
			switch mf.GetName() {
			case "trawler_crawl_pages_published_total":
				c.fetched += v
			case "trawler_crawl_fetches_total":
				if label("outcome") != "ok" {
					c.failed += v
				}
			case "trawler_parse_pages_total":
				switch label("page_type") {
				case trawler.PageArticle:
					c.articles += v
				case trawler.PageHub:
					c.hubs += v
				case trawler.PageOther:
					c.others += v
				}
			case "trawler_sink_articles_total":
				if label("result") == "written" {
					c.written += v
				}
			case "trawler_worker_messages_total":
				if label("action") == "dead_letter" {
					c.deadLetters += v
				}
			case "trawler_jetstream_stream_messages":
				if label("stage") == trawler.StageCrawl {
					c.queued = g
				}
			}
		}
	}
	return c
}

func (p *progress) run(ctx context.Context) {
	if !p.tty {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprint(p.w, "\r\033[K")
			return
		case <-t.C:
		}
		c := p.read()
		queued := "?"
		if c.queued >= 0 {
			queued = fmt.Sprint(c.queued)
		}
		rate := c.fetched / time.Since(start).Seconds()
		fmt.Fprintf(p.w, "\r\033[Kfetched %.0f  articles %.0f  queued %s  %.1f pages/s  errors %.0f",
			c.fetched, c.articles, queued, rate, c.failed+c.deadLetters)
	}
}

func (p *progress) summary(elapsed time.Duration, sinks []string) {
	c := p.read()
	var b strings.Builder
	fmt.Fprintf(&b, "trawler: %s: fetched %.0f pages (%.0f not fetched), parsed %.0f articles, %.0f hubs and %.0f other pages, wrote %.0f articles, %.0f dead letters\n",
		elapsed.Round(time.Millisecond), c.fetched, c.failed, c.articles, c.hubs, c.others, c.written, c.deadLetters)
	for _, s := range sinks {
		fmt.Fprintf(&b, "trawler: articles in %s\n", sink.Redact(s))
	}
	fmt.Fprint(p.w, b.String())
}

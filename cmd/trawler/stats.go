package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/sink"
)

// stats are what a run did, read from its own metrics: the summary printed
// at exit and written by --stats-json (in the spirit of Scrapy's stats
// dump). URLs are counted once each however many attempts they took;
// attempts, retries and dead letters are counted apart.
type stats struct {
	StartTime    time.Time `json:"start_time"`
	FinishTime   time.Time `json:"finish_time"`
	ElapsedSecs  float64   `json:"elapsed_time_seconds"`
	FinishReason string    `json:"finish_reason"` // finished, stopped, limit_reached (--max-pages…), interrupted, failed
	ExitStatus   int       `json:"exit_status"`

	// URLs settled by this process's crawlers, once each, by final outcome
	// and by the status class of the last response.
	URLs          int            `json:"urls"`
	URLsByOutcome map[string]int `json:"urls_by_outcome"`
	URLsByStatus  map[string]int `json:"urls_by_status_class"`
	// Fetch attempts, retries and deferrals included.
	Attempts          int            `json:"fetch_attempts"`
	AttemptsByOutcome map[string]int `json:"fetch_attempts_by_outcome"`
	Retries           int            `json:"retries"`   // crawl requests failed and tried again later
	Deferrals         int            `json:"deferrals"` // put off because their host asked to wait
	Revisits          int            `json:"revisits"`  // feeds and hubs enqueued again by the schedule
	NotModified       int            `json:"revisits_not_modified"`
	PagesFetched      int            `json:"pages_fetched"`
	// Pages parsed, by page type (article, hub, other, rss…, error).
	Pages             map[string]int `json:"pages_parsed"`
	ArticlesPublished int            `json:"articles_published"`
	// Pages and articles published by every worker of the pipeline, remote
	// ones (run --listen) included.
	AllPagesFetched      int            `json:"pages_fetched_all_workers"`
	AllArticlesPublished int            `json:"articles_published_all_workers"`
	Sinks                []sinkStats    `json:"sinks"`
	DeadLetters          int            `json:"dead_letters"`
	DeadLettersStage     map[string]int `json:"dead_letters_by_stage"`
	// Queued is what was left: -1 each when JetStream did not answer.
	Queued queuedStats `json:"queued"`

	URLsPerSecond     float64 `json:"urls_per_second"`
	ArticlesPerSecond float64 `json:"articles_per_second"`
}

// sinkStats are one sink's articles: several sinks each write every
// article, so they are not added up.
type sinkStats struct {
	Sink    string `json:"sink"` // the spec, password redacted
	Written int    `json:"written"`
	Invalid int    `json:"invalid"`
	Failed  int    `json:"failed_writes"`
}

type queuedStats struct {
	Frontier int `json:"frontier"`
	Pages    int `json:"pages"`
	Articles int `json:"articles"`
}

// readStats reads the stats of the metrics in reg; sinks are the specs
// whose articles are counted.
func readStats(reg prometheus.Gatherer, sinks []string) *stats {
	s := &stats{
		URLsByOutcome: map[string]int{}, URLsByStatus: map[string]int{}, AttemptsByOutcome: map[string]int{},
		Pages: map[string]int{}, DeadLettersStage: map[string]int{}, Queued: queuedStats{-1, -1, -1},
	}
	bySink := map[string]int{} // metric label → index in s.Sinks
	for _, spec := range sinks {
		name, err := pipeline.SinkName(spec)
		if _, dup := bySink[name]; dup || err != nil {
			continue // refused before the run
		}
		bySink[name] = len(s.Sinks)
		s.Sinks = append(s.Sinks, sinkStats{Sink: sink.Redact(spec)})
	}
	mfs, err := reg.Gather()
	if err != nil {
		return s
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			v := int(m.GetCounter().GetValue())
			label := func(name string) string { return labelValue(m, name) }
			switch mf.GetName() {
			case "trawler_crawl_requests_total":
				if v > 0 {
					s.URLs += v
					s.URLsByOutcome[label("outcome")] += v
					s.URLsByStatus[label("status_class")] += v
				}
			case "trawler_crawl_fetches_total":
				if v > 0 {
					s.Attempts += v
					s.AttemptsByOutcome[label("outcome")] += v
				}
				if label("outcome") == "not_modified" {
					s.NotModified += v
				}
			case "trawler_crawl_pages_published_total":
				s.PagesFetched += v
			case "trawler_schedule_revisits_total":
				s.Revisits += v
			case "trawler_parse_pages_total":
				if v > 0 {
					s.Pages[label("page_type")] += v
				}
			case "trawler_parse_articles_published_total":
				s.ArticlesPublished += v
			case "trawler_sink_articles_total":
				if i, ok := bySink[label("sink")]; ok {
					k := &s.Sinks[i]
					switch label("result") {
					case "written":
						k.Written += v
					case "invalid":
						k.Invalid += v
					case "failed":
						k.Failed += v
					}
				}
			case "trawler_worker_messages_total":
				switch label("action") {
				case "dead_letter":
					if v > 0 {
						s.DeadLetters += v
						s.DeadLettersStage[label("stage")] += v
					}
				case "nak":
					if label("stage") == trawler.StageCrawl {
						s.Retries += v
					}
				case "defer":
					if label("stage") == trawler.StageCrawl {
						s.Deferrals += v
					}
				}
			case "trawler_jetstream_stream_messages":
				g := int(m.GetGauge().GetValue())
				switch label("stage") {
				case trawler.StageCrawl:
					s.Queued.Frontier = g
				case trawler.StageParse:
					s.Queued.Pages = g
				}
			}
		}
	}
	return s
}

func labelValue(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// finish sets the times and rates of a run that started at start.
func (s *stats) finish(start, end time.Time) {
	s.StartTime, s.FinishTime = start.UTC(), end.UTC()
	s.ElapsedSecs = end.Sub(start).Seconds()
	if s.ElapsedSecs > 0 {
		s.URLsPerSecond = float64(s.URLs) / s.ElapsedSecs
		s.ArticlesPerSecond = float64(s.ArticlesPublished) / s.ElapsedSecs
	}
}

// print writes the summary, a few lines each after "trawler:".
func (s *stats) print(w io.Writer, allowPrivate, remote bool) {
	var b strings.Builder
	elapsed := time.Duration(s.ElapsedSecs * float64(time.Second)).Round(time.Millisecond)
	fmt.Fprintf(&b, "trawler: %s after %s: %d URLs (%s), %.1f URLs/s\n", s.FinishReason, elapsed, s.URLs, breakdown(s.URLsByOutcome), s.URLsPerSecond)
	if len(s.URLsByStatus) > 0 {
		fmt.Fprintf(&b, "trawler:   by status: %s\n", breakdown(s.URLsByStatus))
	}
	fmt.Fprintf(&b, "trawler:   %d fetch attempts, %d retries, %d deferred, %d revisits (%d not modified)\n",
		s.Attempts, s.Retries, s.Deferrals, s.Revisits, s.NotModified)
	fmt.Fprintf(&b, "trawler:   parsed %d pages (%s), %d articles published, %.1f articles/s\n",
		sum(s.Pages), breakdown(s.Pages), s.ArticlesPublished, s.ArticlesPerSecond)
	if remote {
		fmt.Fprintf(&b, "trawler:   all workers, remote ones included: %d pages fetched, %d articles published\n", s.AllPagesFetched, s.AllArticlesPublished)
	}
	for _, k := range s.Sinks {
		fmt.Fprintf(&b, "trawler:   %s: %d articles written", k.Sink, k.Written)
		if k.Invalid > 0 || k.Failed > 0 {
			fmt.Fprintf(&b, ", %d invalid, %d failed writes", k.Invalid, k.Failed)
		}
		b.WriteString("\n")
	}
	if s.DeadLetters > 0 {
		fmt.Fprintf(&b, "trawler:   %d dead letters (%s): see trawler dlq list\n", s.DeadLetters, breakdown(s.DeadLettersStage))
	} else {
		b.WriteString("trawler:   0 dead letters\n")
	}
	if q := s.Queued; q.Frontier > 0 || q.Pages > 0 || q.Articles > 0 {
		fmt.Fprintf(&b, "trawler:   left queued: %d URLs, %d pages, %d articles\n", q.Frontier, q.Pages, q.Articles)
	}
	if n := s.URLsByOutcome["blocked"]; n > 0 && !allowPrivate {
		fmt.Fprintf(&b, "trawler:   %d URLs blocked as loopback, private or link-local addresses: --allow-private fetches them\n", n)
	}
	fmt.Fprint(w, b.String())
}

// breakdown is "a 2, b 1", largest first; "none" when empty.
func breakdown(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v > 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "none"
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// writeJSON writes the stats to path, replacing it whole.
func (s *stats) writeJSON(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("--stats-json: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("--stats-json: %w", err)
	}
	return nil
}

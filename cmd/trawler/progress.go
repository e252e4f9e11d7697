package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/term"
)

// progress shows a live line on a terminal. It reads the process's own
// metrics, so what it shows is what /metrics says, the frontier's size
// included (one JetStream read per line, by the collector).
type progress struct {
	out *statusWriter
	reg prometheus.Gatherer
}

func newProgress(out *statusWriter, reg prometheus.Gatherer) *progress {
	return &progress{out: out, reg: reg}
}

// run redraws the line every second until ctx ends, then clears it. It
// draws nothing unless the output is a terminal.
func (p *progress) run(ctx context.Context) {
	if !p.out.tty {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			p.out.setStatus("")
			return
		case <-t.C:
		}
		s := readStats(p.reg, nil)
		queued := "?"
		if s.Queued.Frontier >= 0 {
			queued = fmt.Sprint(s.Queued.Frontier)
		}
		rate := float64(s.URLs) / time.Since(start).Seconds()
		p.out.setStatus(fmt.Sprintf("URLs %d (%d ok)  articles %d  queued %s  %.1f URLs/s  retries %d  dead letters %d",
			s.URLs, s.URLsByOutcome["ok"], s.ArticlesPublished, queued, rate, s.Retries, s.DeadLetters))
	}
}

// statusWriter is the terminal shared by the logs and the progress line:
// each write (a log record) first clears the line, then draws it again
// below, so the two never run into each other.
type statusWriter struct {
	mu     sync.Mutex
	w      io.Writer
	tty    bool
	status string
}

func newStatusWriter(w io.Writer) *statusWriter {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &statusWriter{w: w, tty: tty}
}

func (s *statusWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status == "" {
		return s.w.Write(p)
	}
	if _, err := io.WriteString(s.w, "\r\033[K"); err != nil {
		return 0, err
	}
	n, err := s.w.Write(p)
	if err == nil {
		_, err = io.WriteString(s.w, s.status)
	}
	return n, err
}

// setStatus draws line in place of the current one ("" clears it).
func (s *statusWriter) setStatus(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status == "" && line == "" {
		return
	}
	s.status = line
	fmt.Fprint(s.w, "\r\033[K"+line)
}

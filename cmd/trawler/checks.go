package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/urlnorm"
	"github.com/trawler/trawler/sink"
)

// checkSeeds refuses seeds that are not http or https URLs, naming the flag
// (or "argument") each came from.
func checkSeeds(flagged, positional []string) error {
	var errs []error
	for _, s := range []struct {
		from string
		urls []string
	}{{"--seed", flagged}, {"argument", positional}} {
		for _, u := range s.urls {
			if _, err := urlnorm.Normalize(u); err != nil {
				errs = append(errs, fmt.Errorf("%s %q: %w (want an http:// or https:// URL)", s.from, u, err))
			}
		}
	}
	return errors.Join(errs...)
}

// checkSinkSpecs refuses sink specs of an unknown kind, with bad options or
// a bad name=, and two sinks that would share one consumer, before
// anything is opened.
func checkSinkSpecs(specs []string) error {
	var errs []error
	for _, spec := range specs {
		_, rest, err := sink.Name(spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("--sink: %w", err))
			continue
		}
		kind, arg, ok := strings.Cut(rest, ":")
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("--sink %q: want jsonl:PATH, jsonl:DIR/?rotate=… or postgres://…", sink.Redact(spec)))
		case kind == "jsonl":
			if _, err := sink.ParseJSONLSpec(arg); err != nil {
				errs = append(errs, fmt.Errorf("--sink %q: %w", spec, err))
			}
		case kind == "postgres", kind == "postgresql":
		default:
			errs = append(errs, fmt.Errorf("--sink %q: unknown kind %q (want jsonl or postgres)", sink.Redact(spec), kind))
		}
	}
	if errs == nil {
		if _, err := pipeline.SinkNames(specs); err != nil {
			errs = append(errs, fmt.Errorf("--sink: %w", err))
		}
	}
	return errors.Join(errs...)
}

// checkStatsFile refuses a --stats-json file whose directory does not
// exist, so a crawl does not end unable to write its stats.
func checkStatsFile(path string) error {
	if path == "" {
		return nil
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return fmt.Errorf("--stats-json %q: no directory %s", path, filepath.Dir(path))
	}
	return nil
}

// checkListen tries --listen's address, so that a port in use is reported
// as such before the embedded server starts (which would only say it is not
// ready, after 30 seconds). Port 0 needs no check.
func checkListen(addr string) error {
	if addr == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(addr); err == nil && port == "0" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", addr, err)
	}
	return ln.Close()
}

// openSinks opens every sink, so an unwritable path or an unreachable
// database is the first thing reported, before any stage starts. Start
// takes them through the returned opener; on error, those opened are
// closed.
func openSinks(ctx context.Context, specs []string, log *slog.Logger) (func(context.Context, string, *slog.Logger) (sink.Sink, error), func(), error) {
	opened := map[string]sink.Sink{}
	closeAll := func() {
		for _, s := range opened {
			_ = s.Close()
		}
	}
	for _, spec := range specs {
		if _, dup := opened[spec]; dup {
			continue
		}
		s, err := sink.Open(ctx, spec, log.With("sink", sink.Redact(spec)))
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("--sink %s: %w", sink.Redact(spec), err)
		}
		opened[spec] = s
	}
	taken := map[string]bool{}
	open := func(ctx context.Context, spec string, log *slog.Logger) (sink.Sink, error) {
		if s, ok := opened[spec]; ok && !taken[spec] {
			taken[spec] = true
			return s, nil
		}
		return sink.Open(ctx, spec, log)
	}
	// closeUntaken closes the sinks Start did not take (it closes those it
	// took, when it fails or its stages stop).
	closeUntaken := func() {
		for spec, s := range opened {
			if !taken[spec] {
				_ = s.Close()
			}
		}
	}
	return open, closeUntaken, nil
}

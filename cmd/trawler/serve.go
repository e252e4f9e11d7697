package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// newRegistry returns the process's registry with the Go and process
// collectors and trawler_build_info, built per run: no package-level
// metrics.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newBuildInfo(version, runtime.Version()))
	return reg
}

// newBuildInfo returns trawler_build_info, always 1: its labels say which
// release and Go runs, so a query can join them to any other series.
func newBuildInfo(version, goversion string) prometheus.Collector {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "trawler_build_info",
		Help: "Always 1; labelled with the trawler release and the Go version that built it.",
	}, []string{"version", "goversion"})
	g.WithLabelValues(version, goversion).Set(1)
	return g
}

// serveOps serves /metrics, /healthz and /readyz on addr until ctx ends.
// ready reports whether the process can do its work (NATS connected).
// It returns the address actually bound, so port 0 can be logged.
func serveOps(ctx context.Context, addr string, reg *prometheus.Registry, ready func() error, log *slog.Logger) (string, error) {
	if addr == "" {
		return "", nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("metrics listener: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if err := ready(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	})
	bound := ln.Addr().String()
	log.Info("serving metrics", "addr", "http://"+bound+"/metrics")
	return bound, nil
}

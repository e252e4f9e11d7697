package sitetest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Start serves a new Site with default settings on 127.0.0.1 and closes the
// server when the test ends. Use (*Site).Start to change the settings first.
func Start(tb testing.TB) (*Site, *httptest.Server) {
	tb.Helper()
	s := New()
	return s, s.Start(tb)
}

// Start serves s on a free port of 127.0.0.1 and closes the server when the
// test ends. Set SlowDelay and OversizeBytes before calling it.
func (s *Site) Start(tb testing.TB) *httptest.Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("sitetest: listen: %v", err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: s}}
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv
}

package pipeline

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/trawler/trawler/internal/testkit"
)

// A cap reached is logged once per host, and the full frontier once a
// minute, however many links it drops.
func TestCapLogOnce(t *testing.T) {
	var buf testkit.LockedBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	var c capLog
	for range 100 {
		c.hostBudget(log, "a.example", errors.New("over"))
		c.hostBudget(log, "b.example", errors.New("over"))
		c.frontierFull(log, errors.New("full"))
	}
	out := buf.String()
	if n := strings.Count(out, "host page budget reached"); n != 2 {
		t.Errorf("%d host budget lines, want one per host:\n%s", n, out)
	}
	if n := strings.Count(out, "frontier full"); n != 1 {
		t.Errorf("%d frontier full lines, want one:\n%s", n, out)
	}
}

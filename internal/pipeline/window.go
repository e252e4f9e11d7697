package pipeline

import (
	"fmt"
	"time"
)

// Window is the span of publication times whose articles are written
// (--since, --until). An article outside it is not written, though its
// links are followed as a hub's: an archive's old stories lead to new
// ones. An undated article is written: the window cannot judge it.
type Window struct {
	Since time.Time // zero: no lower bound
	Until time.Time // zero: no upper bound; inclusive
}

// Contains reports whether an article published at published (RFC 3339,
// "" when unknown) is inside the window.
func (w Window) Contains(published string) bool {
	if w.Since.IsZero() && w.Until.IsZero() || published == "" {
		return true
	}
	t, err := time.Parse(time.RFC3339, published)
	if err != nil {
		return true
	}
	return (w.Since.IsZero() || !t.Before(w.Since)) && (w.Until.IsZero() || !t.After(w.Until))
}

// ParseWindowBound parses a --since or --until value: an RFC 3339 time, or
// a day (YYYY-MM-DD, UTC), which as an upper bound means its last instant.
func ParseWindowBound(s string, upper bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want a day (2026-11-30) or an RFC 3339 time (2026-11-30T18:00:00Z)", s)
	}
	if upper {
		d = d.Add(24*time.Hour - time.Nanosecond)
	}
	return d, nil
}

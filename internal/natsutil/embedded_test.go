package natsutil

import "testing"

func TestSupportedServerVersion(t *testing.T) {
	for v, ok := range map[string]bool{
		"2.9.10":      false, // Debian bookworm's: no stream metadata
		"2.9.25":      false,
		"1.4.1":       false,
		"2.10.0":      true,
		"2.11.3-beta": true,
		"2.15.2":      true,
		"3.0.0":       true,
		"":            false,
		"v2.10":       false,
	} {
		if err := supported(v); (err == nil) != ok {
			t.Errorf("supported(%q) = %v, want ok=%v", v, err, ok)
		}
	}
}

package worker

import (
	"testing"

	"github.com/trawler/trawler/internal/natsutil"
)

// The loop falls back to the defaults the command's flags show: one
// declaration each, here and in natsutil.
func TestConfigDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.MaxDeliver != DefaultMaxDeliver {
		t.Errorf("MaxDeliver = %d, want DefaultMaxDeliver (%d)", c.MaxDeliver, DefaultMaxDeliver)
	}
	if c.AckWait != natsutil.DefaultAckWait {
		t.Errorf("AckWait = %v, want the consumers' natsutil.DefaultAckWait (%v)", c.AckWait, natsutil.DefaultAckWait)
	}
}

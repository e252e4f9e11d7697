package pipeline

import (
	"log/slog"
	"sync"
	"time"
)

// capLog logs that a frontier cap was reached, once per host for the page
// budget (for the first maxCapHosts hosts) and at most once a minute for
// the frontier's size: a trap or a huge site must show up in the logs
// without flooding them. trawler_parse_links_total counts every link.
type capLog struct {
	mu    sync.Mutex
	hosts map[string]bool
	full  time.Time // when frontier_full was last logged
}

const maxCapHosts = 1000

func (c *capLog) hostBudget(log *slog.Logger, host string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hosts == nil {
		c.hosts = map[string]bool{}
	}
	if c.hosts[host] || len(c.hosts) >= maxCapHosts {
		return
	}
	c.hosts[host] = true
	log.Warn("host page budget reached: its further links are dropped (--max-pages-per-host)", "host", host, "err", err)
}

func (c *capLog) frontierFull(log *slog.Logger, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.full) < time.Minute {
		return
	}
	c.full = time.Now()
	log.Warn("frontier full: new links are dropped until it drains (--max-queued)", "err", err)
}

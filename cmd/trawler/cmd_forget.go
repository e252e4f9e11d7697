package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
)

// cmdForget resets what a running pipeline remembers of URLs (see
// pipeline.Forget): fetched, failed or queued, they may be enqueued again.
func cmdForget(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parseConfig("forget", args, getenv, stderr, func(cfg *config) error {
		if len(cfg.args) == 0 {
			return errors.New("forget: give at least one URL")
		}
		return nil
	})
	if err != nil {
		return err
	}
	c, err := cfg.dial("trawler-forget", natsutil.RoleAdmin)
	if err != nil {
		return err
	}
	defer c.nc.Close()
	if err := natsutil.Setup(ctx, c.js, c.names, cfg.topology); err != nil {
		return err
	}
	urls, err := pipeline.Forget(ctx, c.js, c.names, cfg.args)
	if err != nil {
		return err
	}
	for _, u := range urls {
		c.log.Info("forgotten", "url", u)
	}
	fmt.Fprintf(stderr, "trawler: %d URLs forgotten: a link to them, or seeding them, enqueues them again\n", len(urls))
	return nil
}

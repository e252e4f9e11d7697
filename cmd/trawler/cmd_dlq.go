package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/deadletter"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/wire"
)

// cmdDLQ lists, shows and replays dead letters.
func cmdDLQ(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || !slices.Contains([]string{"list", "show", "replay"}, args[0]) {
		return usageError{error: errors.New("dlq: want list, show or replay"), command: "dlq"}
	}
	sub := args[0]
	var ids []uint64
	cfg, err := parseConfig("dlq "+sub, args[1:], getenv, stderr, func(cfg *config) (err error) {
		if ids, err = parseIDs(cfg.args); err != nil {
			return err
		}
		switch {
		case sub == "list" && len(ids) > 0:
			return errors.New("dlq list: takes no IDs (see dlq show)")
		case sub == "show" && len(ids) != 1:
			return errors.New("dlq show: give one ID")
		case sub == "replay" && len(ids) == 0 && !cfg.all && cfg.stage == "":
			return errors.New("dlq replay: give IDs, --stage S or --all")
		case sub == "replay" && len(ids) > 0 && cfg.all:
			return errors.New("dlq replay: give IDs or --all, not both")
		}
		return nil
	})
	if err != nil {
		return err
	}
	c, err := cfg.dial("trawler-dlq", natsutil.RoleAdmin)
	if err != nil {
		return err
	}
	defer c.nc.Close()
	js, names := c.js, c.names
	switch sub {
	case "list":
		return dlqList(ctx, js, names, cfg.stage, stdout)
	case "show":
		l, err := deadletter.Get(ctx, js, names, ids[0])
		if err != nil {
			return err
		}
		dlqShow(l, stdout)
		return nil
	default:
		return dlqReplay(ctx, js, names, cfg.stage, ids, stdout)
	}
}

func parseIDs(args []string) ([]uint64, error) {
	ids := make([]uint64, 0, len(args))
	for _, a := range args {
		id, err := strconv.ParseUint(a, 10, 64)
		if err != nil || id == 0 {
			return nil, fmt.Errorf("dead letter ID %q: want a positive number (see dlq list)", a)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func dlqList(ctx context.Context, js jetstream.JetStream, names trawler.Names, stage string, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tSTAGE\tDELIVERED\tWHAT\tERROR")
	n := 0
	err := deadletter.Each(ctx, js, names, stage, func(l deadletter.Letter) error {
		n++
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", l.ID, l.Time.UTC().Format("2006-01-02 15:04:05"),
			l.Stage, l.Delivered, l.What(), oneLine(l.Error, 100))
		return nil
	})
	if err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d dead letters\n", n)
	return nil
}

func dlqShow(l deadletter.Letter, w io.Writer) {
	fmt.Fprintf(w, "ID:         %d\n", l.ID)
	fmt.Fprintf(w, "Time:       %s\n", l.Time.UTC().Format("2006-01-02 15:04:05.000Z"))
	fmt.Fprintf(w, "Stage:      %s\n", l.Stage)
	fmt.Fprintf(w, "Delivered:  %d\n", l.Delivered)
	fmt.Fprintf(w, "Subject:    %s\n", l.Subject)
	fmt.Fprintf(w, "Origin:     %s #%d\n", l.Stream, l.StreamSeq)
	fmt.Fprintf(w, "Error:      %s\n", l.Error)
	fmt.Fprintln(w, "Headers:")
	keys := make([]string, 0, len(l.Header))
	for k := range l.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range l.Header[k] {
			fmt.Fprintf(w, "  %s: %s\n", k, oneLine(v, 200))
		}
	}
	switch {
	case l.Header.Get(wire.HeaderEncoding) != "":
		fmt.Fprintf(w, "Message:    %d bytes, %s-compressed\n", len(l.Data), l.Header.Get(wire.HeaderEncoding))
	case utf8.Valid(l.Data):
		fmt.Fprintf(w, "Message:    %d bytes\n%s\n", len(l.Data), l.Data)
	default:
		fmt.Fprintf(w, "Message:    %d bytes of binary\n", len(l.Data))
	}
}

func dlqReplay(ctx context.Context, js jetstream.JetStream, names trawler.Names, stage string, ids []uint64, stdout io.Writer) error {
	var todo []deadletter.Letter
	if len(ids) > 0 {
		for _, id := range ids {
			l, err := deadletter.Get(ctx, js, names, id)
			if err != nil {
				return err
			}
			if stage != "" && l.Stage != stage {
				return fmt.Errorf("dead letter %d is from stage %s, not %s", id, l.Stage, stage)
			}
			todo = append(todo, l)
		}
	} else {
		// IDs first, then replay: a replayed message that fails again is
		// dead-lettered anew and must not be picked up by this walk.
		err := deadletter.Each(ctx, js, names, stage, func(l deadletter.Letter) error {
			l.Data = nil // fetched again below, one at a time
			todo = append(todo, l)
			return nil
		})
		if err != nil {
			return err
		}
	}
	n := 0
	for _, l := range todo {
		if l.Data == nil {
			var err error
			if l, err = deadletter.Get(ctx, js, names, l.ID); err != nil {
				return fmt.Errorf("%d of %d replayed: %w", n, len(todo), err)
			}
		}
		if err := deadletter.Replay(ctx, js, names, l); err != nil {
			return fmt.Errorf("%d of %d replayed: %w", n, len(todo), err)
		}
		fmt.Fprintf(stdout, "replayed %d (%s) to %s\n", l.ID, l.What(), l.Subject)
		n++
	}
	fmt.Fprintf(stdout, "%d dead letters replayed\n", n)
	return nil
}

// oneLine shortens s to its first line and at most n runes.
func oneLine(s string, n int) string {
	s, _, cut := strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	} else if cut {
		return s + " …"
	}
	return s
}

// Command trawler crawls news sites and turns their pages into structured
// articles: one binary for every stage, or for all of them on an embedded
// NATS server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/trawler/trawler"
)

// version is the release this binary reports (trawler version,
// trawler_build_info). It defaults to trawler.Version; a release build
// stamps it with -ldflags "-X main.version=…".
var version = trawler.Version

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		printError(os.Stderr, err)
		os.Exit(exitCode(err))
	}
}

// printError reports err on w, each usage mistake on a line of its own.
func printError(w io.Writer, err error) {
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	var u usageError
	if !errors.As(err, &u) {
		fmt.Fprintln(w, "trawler:", err)
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, "trawler:", line)
	}
}

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ error }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

const usage = `trawler %s: crawl news sites into structured articles.

Usage:
  trawler run --seed URL [--seed URL …]   all stages in one process on an embedded NATS server
  trawler crawl --nats URL                 a crawler worker
  trawler parse --nats URL                 a parser worker
  trawler sink --nats URL --sink SPEC      a sink worker
  trawler seed --nats URL [--force] URL …  enqueue seeds (new, or failed last time) into a running pipeline
  trawler reparse [--sink SPEC] warc:DIR …  parse archived pages again into the sinks (see run --archive)
  trawler forget --nats URL URL …          reset what the pipeline remembers of URLs, so they are crawled again
  trawler extract [--url URL] FILE …       parse saved HTML files ("-" is stdin), print Article JSON lines
  trawler dlq list [--stage S]             list dead letters (ID, stage, deliveries, error)
  trawler dlq show ID                      one dead letter: headers, error and message
  trawler dlq replay [--stage S] ID…|--all republish dead letters to their subject, then delete them
  trawler version

Every flag can also be set as TRAWLER_<FLAG_NAME> in the environment
(e.g. TRAWLER_HOST_DELAY=2s; repeatable flags take a comma-separated list);
a flag on the command line wins. "trawler COMMAND -h" lists a command's flags.
`

// run is main without the process: arguments, environment and streams are
// passed in, so tests can drive every subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintf(stderr, usage, version)
		return usageError{errors.New("no command")}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(ctx, rest, getenv, stderr)
	case "crawl", "parse", "sink":
		return cmdStage(ctx, cmd, rest, getenv, stderr)
	case "seed":
		return cmdSeed(ctx, rest, getenv, stderr)
	case "reparse":
		return cmdReparse(ctx, rest, getenv, stderr)
	case "forget":
		return cmdForget(ctx, rest, getenv, stderr)
	case "extract":
		return cmdExtract(rest, getenv, stdin, stdout, stderr)
	case "dlq":
		return cmdDLQ(ctx, rest, getenv, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "trawler", version)
		return nil
	case "help", "-h", "--help":
		if len(rest) > 0 {
			err := run(ctx, []string{rest[0], "-h"}, getenv, stdin, stdout, stdout)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
		fmt.Fprintf(stdout, usage, version)
		fmt.Fprintln(stdout, "\nFlags (each command takes those that apply to it; see trawler help COMMAND):")
		fs := flag.NewFlagSet("trawler", flag.ContinueOnError)
		fs.SetOutput(stdout)
		new(options).register(fs, allFlags)
		fs.PrintDefaults()
		return nil
	default:
		fmt.Fprintf(stderr, usage, version)
		return usageError{fmt.Errorf("unknown command %q", cmd)}
	}
}

// newFlagSet returns a flag set of the flags command takes (see
// commandFlags), which reports errors instead of exiting.
func newFlagSet(command string, out io.Writer, o *options) *flag.FlagSet {
	groups, ok := commandFlags[command]
	if !ok {
		panic("trawler: no flags declared for command " + command)
	}
	fs := flag.NewFlagSet("trawler "+command, flag.ContinueOnError)
	fs.SetOutput(out)
	o.register(fs, groups)
	return fs
}

// parseConfig parses the flags of command from args and the environment
// into its config. check, if not nil, adds the command's own usage errors
// (its positional arguments, flags that go together), reported with those
// of the flags.
func parseConfig(command string, args []string, getenv func(string) string, stderr io.Writer, check func(*config) error) (*config, error) {
	var o options
	fs := newFlagSet(command, stderr, &o)
	if err := parseFlags(fs, args, getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{err}
	}
	cfg, err := o.config(stderr)
	if check != nil {
		err = errors.Join(err, check(cfg))
	}
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

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
	"strings"
	"syscall"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/redact"
)

// version is the release this binary reports (trawler version,
// trawler_build_info). It defaults to trawler.Version; a release build
// stamps it with -ldflags "-X main.version=…".
var version = trawler.Version

func main() {
	ctx, stop := signalContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		printError(os.Stderr, err)
		os.Exit(exitCode(err))
	}
}

// printError reports err on w, each usage mistake on a line of its own,
// then a one-line hint to the command's help.
func printError(w io.Writer, err error) {
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	// Errors quote what they could not use: a URL, a DSN, a flag's value.
	msg := redact.String(err.Error())
	var u usageError
	if !errors.As(err, &u) {
		fmt.Fprintln(w, "trawler:", msg)
		return
	}
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintln(w, "trawler:", line)
	}
	if u.command != "" {
		fmt.Fprintf(w, "Run 'trawler help %s' for usage.\n", u.command)
	} else {
		fmt.Fprintln(w, "Run 'trawler help' for usage.")
	}
}

// usageError is a mistake on the command line (exit status 2); command,
// if known, is the command whose help explains it.
type usageError struct {
	error
	command string
}

// The exit statuses of trawler (README, "Exit status").
const (
	exitOK          = 0
	exitFailed      = 1 // a fatal error, or nothing could be fetched
	exitUsage       = 2
	exitDeadLetters = 3 // run --strict: the crawl left dead letters
)

func exitCode(err error) int {
	var (
		u  usageError
		x  *exitError
		ie *interruptedError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &u) || errors.Is(err, flag.ErrHelp):
		return exitUsage
	case errors.As(err, &ie):
		return ie.code()
	case errors.As(err, &x):
		return x.code
	}
	return exitFailed
}

// exitError is an error with its own exit status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// run is main without the process: arguments, environment and streams are
// passed in, so tests can drive every subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printCommands(stderr)
		return usageError{error: errors.New("no command")}
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
		return cmdHelp(rest, stdout)
	default:
		return usageError{error: fmt.Errorf("unknown command %q", cmd)}
	}
}

// cmdHelp prints the list of commands, or one command's usage.
func cmdHelp(args []string, stdout io.Writer) error {
	topic := strings.Join(args, " ")
	switch {
	case topic == "":
		printCommands(stdout)
	case topic == "dlq":
		for i, sub := range []string{"dlq list", "dlq show", "dlq replay"} {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			printCommandHelp(stdout, sub)
		}
	default:
		if _, ok := commandDocs[topic]; !ok {
			return usageError{error: fmt.Errorf("help: unknown command %q", topic)}
		}
		printCommandHelp(stdout, topic)
	}
	return nil
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
	fs.Usage = func() {} // parseConfig prints the help for -h, and one hint for a mistake
	o.register(fs, groups)
	return fs
}

// parseConfig parses the flags of command from args and the environment
// into its config. check, if not nil, adds the command's own usage errors
// (its positional arguments, flags that go together), reported with those
// of the flags.
func parseConfig(command string, args []string, getenv func(string) string, stderr io.Writer, check func(*config) error) (*config, error) {
	var o options
	fs := newFlagSet(command, io.Discard, &o)
	var err error
	if o.args, err = parseFlags(fs, args, getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandHelp(stderr, command)
			return nil, err
		}
		return nil, usageError{error: err, command: command}
	}
	cfg, err := o.config(stderr)
	if check != nil {
		err = errors.Join(err, check(cfg))
	}
	if err != nil {
		return nil, usageError{error: err, command: command}
	}
	return cfg, nil
}

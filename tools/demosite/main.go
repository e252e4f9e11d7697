// Command demosite serves the fixture news site on 127.0.0.1 and runs a
// command against it, replacing {url} in its arguments with the site's
// address. It exits with the command's status. `make demo` uses it to crawl
// the site with `trawler run` on a machine without internet.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/trawler/trawler/internal/sitetest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: demosite COMMAND [ARG…]   ({url} in ARGs becomes the site's address)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "demosite:", err)
		os.Exit(1)
	}
	site := "http://" + ln.Addr().String()
	go func() { _ = http.Serve(ln, sitetest.New()) }()
	fmt.Fprintf(os.Stderr, "demosite: serving the fixture news site at %s/\n", site)

	args := make([]string, len(os.Args)-2)
	for i, a := range os.Args[2:] {
		args[i] = strings.ReplaceAll(a, "{url}", site)
	}
	cmd := exec.CommandContext(ctx, os.Args[1], args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// On Ctrl-C the child gets SIGTERM and time to drain, not SIGKILL.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "demosite:", err)
		os.Exit(1)
	}
}

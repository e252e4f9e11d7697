package faults

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trawler/trawler/internal/testkit"
)

// binDir holds the trawler and natsd binaries, built once by TestMain.
var binDir string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "trawler-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "faults: build:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func build(dir string) error {
	for name, pkg := range map[string]string{
		"trawler": "github.com/trawler/trawler/cmd/trawler",
		"natsd":   "github.com/trawler/trawler/tools/natsd",
	} {
		args := []string{"build", "-o", filepath.Join(dir, name)}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, pkg)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", pkg, err, out.String())
		}
	}
	return nil
}

// proc is one process of the pipeline under test. Its output goes to a log
// file, shown when the test fails.
type proc struct {
	t    *testing.T
	name string
	bin  string
	args []string
	log  string
	cmd  *exec.Cmd
	done chan struct{}
	runs int // starts so far: the log file keeps every run's output
}

func startProc(t *testing.T, logDir, name, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, bin: filepath.Join(binDir, bin), args: args, log: filepath.Join(logDir, name+".log")}
	p.start()
	t.Cleanup(func() {
		if p.running() {
			p.kill()
		}
		if t.Failed() {
			t.Logf("--- %s (last lines of %s):\n%s", p.name, p.log, tail(p.log, 30))
		}
	})
	return p
}

func (p *proc) start() {
	p.t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	fmt.Fprintf(f, "=== %s start %s\n", time.Now().Format(time.TimeOnly), strings.Join(p.args, " "))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Stdout, cmd.Stderr = f, f
	// Without the race detector's default second of sleep at exit, the
	// time to stop is the process's own.
	cmd.Env = append(os.Environ(), "GORACE=halt_on_error=1 atexit_sleep_ms=0")
	if err := cmd.Start(); err != nil {
		f.Close()
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	p.cmd, p.done = cmd, make(chan struct{})
	p.runs++
	go func() {
		err := cmd.Wait()
		fmt.Fprintf(f, "=== %s exit: %v\n", time.Now().Format(time.TimeOnly), err)
		f.Close()
		close(p.done)
	}()
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to go.
func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// errSlowStop reports a process that did not finish its in-flight work
// within stopGrace of SIGTERM.
var errSlowStop = errors.New("did not stop within 30s of SIGTERM")

const stopGrace = 30 * time.Second

// stop sends SIGTERM and waits for a graceful exit. A process still there
// after stopGrace gets SIGQUIT, and the error (wrapping errSlowStop) shows
// where its goroutines were in trawler's code.
func (p *proc) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopGrace):
		_ = p.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			p.kill()
		}
		return fmt.Errorf("%s %w; its goroutines in trawler code:\n%s", p.name, errSlowStop, trawlerFrames(p.log))
	}
	if !p.cmd.ProcessState.Success() {
		return fmt.Errorf("%s exited with %v after SIGTERM", p.name, p.cmd.ProcessState)
	}
	return nil
}

// waitStarted waits until the current run of a worker logs that it
// started: its streams, consumers and sinks are declared and open.
func (p *proc) waitStarted() {
	p.t.Helper()
	testkit.WaitFor(p.t, time.Minute, p.name+" to start", func() bool {
		if !p.running() {
			p.t.Fatalf("%s exited at start: %v\n%s", p.name, p.cmd.ProcessState, tail(p.log, 10))
		}
		data, _ := os.ReadFile(p.log)
		return bytes.Count(data, []byte(`msg="worker started"`)) >= p.runs
	})
}

// trawlerFrames picks the goroutine headers and trawler's own frames out of
// a Go stack dump.
func trawlerFrames(path string) string {
	data, _ := os.ReadFile(path)
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "goroutine ") || strings.Contains(line, "github.com/trawler/trawler/") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

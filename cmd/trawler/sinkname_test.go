package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/testkit"
)

// sinkNames is pipeline.SinkNames for specs a test knows to be valid.
func sinkNames(t testing.TB, specs ...string) []string {
	t.Helper()
	names, err := pipeline.SinkNames(specs)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// Two sinks of one process that would share a consumer (each would get half
// of the articles), a bad name= and a --sink-name that names no one sink
// are usage errors, reported before anything starts.
func TestSinkNameMistakesRefusedBeforeStarting(t *testing.T) {
	dir := t.TempDir()
	a, b := "jsonl:"+filepath.Join(dir, "a.jsonl"), "jsonl:"+filepath.Join(dir, "b.jsonl")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"same spec twice", []string{"--sink", a, "--sink", a}, []string{"share the consumer sink_jsonl_", "name=NAME"}},
		{"same name twice", []string{"--sink", a + "?name=x", "--sink", b + "?name=x"}, []string{"share the consumer sink_jsonl_x", "name=NAME"}},
		{"same database, other password", []string{"--sink", "postgres://u:s3cret@127.0.0.1:1/db", "--sink", "postgres://u:other@127.0.0.1:1/db"},
			[]string{"share the consumer sink_postgres_", "u:xxxxx@"}},
		{"bad name", []string{"--sink", a + "?name=a.b"}, []string{"name=a.b", "letters, digits"}},
		{"sink-name for two sinks", []string{"--sink", a, "--sink", b, "--sink-name", "x"}, []string{"--sink-name x", "not 2"}},
		{"sink-name against name=", []string{"--sink", a + "?name=y", "--sink-name", "x"}, []string{"--sink-name", "names itself y"}},
	}
	for _, tt := range tests {
		for _, command := range []string{"run", "sink", "reparse"} {
			t.Run(command+" "+tt.name, func(t *testing.T) {
				data := filepath.Join(t.TempDir(), "data")
				args := append([]string{command, "--metrics-addr", "", "--nats", "nats://127.0.0.1:1"}, tt.args...)
				switch command {
				case "run":
					args = append([]string{command, "--data", data, "--metrics-addr", "", "--exit-when-idle"}, tt.args...)
				case "reparse":
					args = append([]string{command, "--data", data, "--metrics-addr", ""}, tt.args...)
				}
				var stderr testkit.LockedBuffer
				err := run(context.Background(), args, env(), strings.NewReader(""), io.Discard, &stderr)
				if exitCode(err) != exitUsage {
					t.Fatalf("err = %v (exit %d), want exit 2", err, exitCode(err))
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error shows the password: %v", err)
				}
				if _, serr := os.Stat(data); !errors.Is(serr, os.ErrNotExist) {
					t.Errorf("--data %s exists: something started", data)
				}
				if stderr.String() != "" {
					t.Errorf("logged before refusing:\n%s", stderr.String())
				}
			})
		}
	}
}

// --sink-name names a spec that cannot be edited (a DSN from a secret) as
// name= in it would.
func TestSinkNameFlagNamesTheSink(t *testing.T) {
	cfg, err := parseConfig("sink", []string{"--sink", "postgres://u:pw@db/news?sslmode=disable"}, env("TRAWLER_SINK_NAME", "main"), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := sinkNames(t, cfg.stages.Sinks...); got[0] != "sink_postgres_main" {
		t.Errorf("consumer %s, want sink_postgres_main", got[0])
	}
}

package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/testkit"
)

// run refuses to expose its NATS server beyond loopback without users,
// before it starts anything.
func TestRunRefusesAnOpenListener(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:0", ":0", "192.0.2.1:4222", "[::]:0"} {
		err := runBefore(t, "run", []string{"--listen", listen}, env())
		if !strings.Contains(err.Error(), natsutil.ErrInsecureListen.Error()) {
			t.Errorf("--listen %s: %v, want %v", listen, err, natsutil.ErrInsecureListen)
		}
	}
}

// run --nats-auth nkey writes a seed per role, readable by its owner only,
// prints how workers join, and admits a client only with a seed whose role
// allows what it does: seed works as admin, not as a crawler or a stranger.
func TestRunGeneratesCredentials(t *testing.T) {
	site := httptest.NewServer(&flakySite{}) // the seed, served here: nothing leaves the machine
	defer site.Close()
	data := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(context.Background())
	var stderr testkit.LockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"run", "--data", data, "--listen", "127.0.0.1:0", "--nats-auth", "nkey", "--metrics-addr", "", "--allow-private", "--host-delay", "0"},
			env(), strings.NewReader(""), io.Discard, &stderr)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v\n%s", err, stderr.String())
		}
	}()
	join := regexp.MustCompile(`trawler crawl --nats (\S+) --nats-nkey (\S+)`)
	testkit.WaitFor(t, 30*time.Second, "run to print how workers join", func() bool { return join.MatchString(stderr.String()) })
	m := join.FindStringSubmatch(stderr.String())
	url, crawlerSeed := m[1], m[2]
	dir := filepath.Join(data, "nats-auth")
	if crawlerSeed != filepath.Join(dir, "crawler.nk") {
		t.Errorf("the crawler joins with %s, want %s", crawlerSeed, filepath.Join(dir, "crawler.nk"))
	}
	for _, r := range natsutil.Roles {
		fi, err := os.Stat(filepath.Join(dir, string(r)+".nk"))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", fi.Name(), fi.Mode().Perm())
		}
	}

	seed := func(extra ...string) error {
		// A refused request is not answered: it fails at its deadline.
		sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		_, err := runCmd(t, sctx, append(append([]string{"seed", "--nats", url}, extra...), site.URL+"/story")...)
		return err
	}
	if err := seed(); err == nil {
		t.Error("seed without credentials worked")
	}
	if err := seed("--nats-nkey", crawlerSeed); err == nil {
		t.Error("seed with the crawler's credentials worked: a crawler could widen the scope")
	}
	if err := seed("--nats-nkey", filepath.Join(dir, "admin.nk")); err != nil {
		t.Errorf("seed as admin: %v", err)
	}
}

// Credential and certificate mistakes are usage errors, found before
// anything connects or starts.
func TestNATSAuthFlagMistakes(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		command string
		args    []string
	}{
		{"crawl", []string{"--nats-nkey", filepath.Join(dir, "missing.nk")}},
		{"crawl", []string{"--nats-nkey", garbage}},
		{"parse", []string{"--nats-creds", garbage}},
		{"sink", []string{"--nats-user", "sink"}},
		{"seed", []string{"--nats-password", "pw"}},
		{"dlq list", []string{"--nats-user", "admin", "--nats-password", "pw", "--nats-password-file", garbage}},
		{"crawl", []string{"--nats-nkey", garbage, "--nats-user", "u", "--nats-password", "p"}},
		{"crawl", []string{"--nats-tls-ca", garbage}},
		{"crawl", []string{"--nats-tls-cert", garbage}},
		{"run", []string{"--listen", "127.0.0.1:0", "--listen-tls-cert", garbage, "--listen-tls-key", garbage}},
		{"run", []string{"--listen-tls-cert", garbage}},
		{"run", []string{"--nats-auth", "token"}},
	} {
		runBefore(t, tt.command, tt.args, env())
	}
}

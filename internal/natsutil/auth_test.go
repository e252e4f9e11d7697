package natsutil

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
)

// The embedded server listens beyond loopback only with users.
func TestStartEmbeddedRefusesAnOpenListener(t *testing.T) {
	for listen, open := range map[string]bool{
		"0.0.0.0:0":   true,
		":0":          true,
		"[::]:0":      true,
		"127.0.0.1:0": false,
		"[::1]:0":     false,
		"localhost:0": false,
	} {
		e, err := StartEmbedded(EmbeddedOptions{StoreDir: t.TempDir(), Listen: listen})
		if err == nil {
			e.Shutdown()
		}
		if got := errors.Is(err, ErrInsecureListen); got != open {
			t.Errorf("--listen %s without users: %v, want refused=%v", listen, err, open)
		}
	}
	auth, err := LoadOrGenerateAuth(filepath.Join(t.TempDir(), "auth"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := StartEmbedded(EmbeddedOptions{StoreDir: t.TempDir(), Listen: "0.0.0.0:0", Auth: auth, Names: trawler.Names{NS: "t"}})
	if err != nil {
		t.Fatalf("with users: %v", err)
	}
	e.Shutdown()
}

// The seeds are generated once, owner-only, and read back unchanged.
func TestLoadOrGenerateAuthKeepsSeeds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "auth")
	a, err := LoadOrGenerateAuth(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadOrGenerateAuth(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Roles {
		pa, _ := a.keys[r].PublicKey()
		pb, _ := b.keys[r].PublicKey()
		if pa != pb {
			t.Errorf("%s: a second run made a new key", r)
		}
		fi, err := os.Stat(a.SeedFile(r))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", fi.Name(), fi.Mode().Perm())
		}
		if err := (ClientAuth{NkeyFile: a.SeedFile(r)}).Validate(); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("auth dir: mode %v, want 0700", fi.Mode().Perm())
	}
}

// The embedded server caps JetStream's storage, by default and as asked,
// and refuses a message past the cap rather than filling the disk.
func TestEmbeddedStorageCap(t *testing.T) {
	e, err := StartEmbedded(EmbeddedOptions{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Server.JetStreamConfig().MaxStore; got != DefaultMaxStore {
		t.Errorf("default max store %d, want %d", got, DefaultMaxStore)
	}
	e.Shutdown()

	e, err = StartEmbedded(EmbeddedOptions{StoreDir: t.TempDir(), MaxStore: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown()
	nc, err := e.Connect(nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "S", Subjects: []string{"s"}, Storage: jetstream.FileStorage}); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 256<<10)
	var refused error
	for range 8 { // 2 MiB into a 1 MiB store
		if _, err := js.Publish(ctx, "s", chunk); err != nil {
			refused = err
			break
		}
	}
	if refused == nil {
		t.Error("2 MiB were stored under a 1 MiB cap")
	}
}

package natsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/trawler/trawler"
)

// ServerAuth is the users of an embedded server: one nkey user per Role,
// each with the role's Permissions.
type ServerAuth struct {
	dir  string
	keys map[Role]nkeys.KeyPair
}

// LoadOrGenerateAuth reads the seed of every role from DIR/<role>.nk,
// generating and writing (mode 0600, in a 0700 directory) those missing, so
// that a restarted run keeps the credentials its workers hold.
func LoadOrGenerateAuth(dir string) (*ServerAuth, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("nats auth dir: %w", err)
	}
	a := &ServerAuth{dir: dir, keys: map[Role]nkeys.KeyPair{}}
	for _, r := range Roles {
		file := a.SeedFile(r)
		kp, err := readSeed(file)
		if errors.Is(err, fs.ErrNotExist) {
			kp, err = generateSeed(file)
		}
		if err != nil {
			return nil, err
		}
		a.keys[r] = kp
	}
	return a, nil
}

// SeedFile is the nkey seed file of role, which a worker of that role passes
// as --nats-nkey.
func (a *ServerAuth) SeedFile(r Role) string { return filepath.Join(a.dir, string(r)+".nk") }

// generateSeed writes a new user seed to file, which must not exist.
func generateSeed(file string) (nkeys.KeyPair, error) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		return nil, fmt.Errorf("nats nkey: %w", err)
	}
	seed, err := kp.Seed()
	if err != nil {
		return nil, fmt.Errorf("nats nkey: %w", err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("nats nkey: %w", err)
	}
	_, err = f.Write(append(seed, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("nats nkey %s: %w", file, err)
	}
	return kp, nil
}

// users are the server's nkey users for the pipeline names.
func (a *ServerAuth) users(n trawler.Names) ([]*server.NkeyUser, error) {
	var us []*server.NkeyUser
	for _, r := range Roles {
		pub, err := a.keys[r].PublicKey()
		if err != nil {
			return nil, fmt.Errorf("nats nkey %s: %w", r, err)
		}
		us = append(us, &server.NkeyUser{Nkey: pub, Permissions: Permissions(r, n)})
	}
	return us, nil
}

// connectAs is the client option that authenticates as role.
func (a *ServerAuth) connectAs(r Role) (nats.Option, error) {
	kp := a.keys[r]
	pub, err := kp.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("nats nkey %s: %w", r, err)
	}
	return nats.Nkey(pub, kp.Sign), nil
}

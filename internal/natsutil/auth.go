package natsutil

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// ClientAuth is how a client proves who it is to a NATS server, and how it
// checks the server. Secrets are read from files, never taken from the
// command line, but for Password, which the trawler command reads from the
// environment or a file. The zero value connects without credentials and
// without TLS (unless the URL is tls://).
type ClientAuth struct {
	// CredsFile is a user credentials file (a JWT and an nkey seed), as
	// nsc or the NATS operator tools write it.
	CredsFile string
	// NkeyFile holds an nkey user seed (SU…), as `trawler run --listen
	// --nats-auth generate` writes it.
	NkeyFile string
	// User and Password authenticate with a user name and password.
	User, Password string
	// TLSCA is a PEM file of the CAs that sign the server's certificate
	// (default: the system's). Giving it requires TLS.
	TLSCA string
	// TLSCert and TLSKey are the client's certificate and key, for servers
	// that verify clients; given together.
	TLSCert, TLSKey string
	// Role, when set, is the permission set the client works under: its
	// replies come under the role's InboxPrefix, the only inboxes its
	// permissions let it subscribe to.
	Role Role
}

// Validate checks the credentials are coherent and their files readable and
// well-formed, so that a mistake is reported before anything connects.
func (a ClientAuth) Validate() error {
	var errs []error
	n := 0
	for _, given := range []bool{a.CredsFile != "", a.NkeyFile != "", a.User != "" || a.Password != ""} {
		if given {
			n++
		}
	}
	if n > 1 {
		errs = append(errs, errors.New("nats auth: give one of a creds file, an nkey seed file, or a user and password"))
	}
	if (a.User == "") != (a.Password == "") {
		errs = append(errs, errors.New("nats auth: a user needs a password, and a password a user"))
	}
	if a.CredsFile != "" {
		if err := checkCreds(a.CredsFile); err != nil {
			errs = append(errs, err)
		}
	}
	if a.NkeyFile != "" {
		if _, err := readSeed(a.NkeyFile); err != nil {
			errs = append(errs, err)
		}
	}
	if a.TLSCA != "" {
		if _, err := readCAs(a.TLSCA); err != nil {
			errs = append(errs, err)
		}
	}
	if (a.TLSCert == "") != (a.TLSKey == "") {
		errs = append(errs, errors.New("nats tls: a client certificate and its key go together"))
	} else if a.TLSCert != "" {
		if _, err := tls.LoadX509KeyPair(a.TLSCert, a.TLSKey); err != nil {
			errs = append(errs, fmt.Errorf("nats tls client certificate: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Options are the nats.go options that present the credentials and check
// the server. It validates a first.
func (a ClientAuth) Options() ([]nats.Option, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	var opts []nats.Option
	switch {
	case a.CredsFile != "":
		opts = append(opts, nats.UserCredentials(a.CredsFile))
	case a.NkeyFile != "":
		o, err := nats.NkeyOptionFromSeed(a.NkeyFile)
		if err != nil {
			return nil, fmt.Errorf("nats nkey %s: %w", a.NkeyFile, err)
		}
		opts = append(opts, o)
	case a.User != "":
		opts = append(opts, nats.UserInfo(a.User, a.Password))
	}
	if a.TLSCA != "" {
		opts = append(opts, nats.RootCAs(a.TLSCA))
	}
	if p := InboxPrefix(a.Role); p != InboxPrefix(RoleAdmin) {
		opts = append(opts, nats.CustomInboxPrefix(p))
	}
	if a.TLSCert != "" {
		opts = append(opts, nats.ClientCert(a.TLSCert, a.TLSKey))
	}
	return opts, nil
}

// checkCreds reads a credentials file's JWT and seed.
func checkCreds(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("nats creds: %w", err)
	}
	if _, err := nkeys.ParseDecoratedJWT(b); err != nil {
		return fmt.Errorf("nats creds %s: no user JWT: %w", file, err)
	}
	if _, err := nkeys.ParseDecoratedNKey(b); err != nil {
		return fmt.Errorf("nats creds %s: no nkey seed: %w", file, err)
	}
	return nil
}

// readSeed reads the user nkey seed of file.
func readSeed(file string) (nkeys.KeyPair, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("nats nkey: %w", err)
	}
	kp, err := nkeys.ParseDecoratedNKey(b)
	if err != nil {
		return nil, fmt.Errorf("nats nkey %s: %w", file, err)
	}
	if pub, err := kp.PublicKey(); err != nil || !nkeys.IsValidPublicUserKey(pub) {
		return nil, fmt.Errorf("nats nkey %s: not a user seed (SU…)", file)
	}
	return kp, nil
}

// readCAs reads a PEM bundle of certificates.
func readCAs(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("nats tls ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("nats tls ca %s: no PEM certificate", file)
	}
	return pool, nil
}

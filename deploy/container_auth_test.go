package deploy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// securedNATS is what the container test's NATS server runs with, as
// compose's servers do (deploy/nats/nats.conf): TLS for clients, a user per
// stage with the permissions of deploy/nats/permissions.conf, and storage
// caps. make nats-secrets and make nats-certs write the same for compose.
type securedNATS struct {
	confDir   string            // mounted at /etc/nats: nats.conf, permissions.conf, tls/
	caDir     string            // mounted at /etc/trawler/nats-ca: ca.pem, as compose mounts it
	passwords map[string]string // by user
}

func newSecuredNATS(t *testing.T, port int) securedNATS {
	t.Helper()
	s := securedNATS{confDir: t.TempDir(), caDir: t.TempDir(), passwords: map[string]string{}}
	caCert, caKey := newCert(t, nil, nil, "trawler-test-ca")
	writePEM(t, filepath.Join(s.caDir, "ca.pem"), "CERTIFICATE", caCert.Raw)
	srvCert, srvKey := newCert(t, caCert, caKey, "nats")
	tlsDir := filepath.Join(s.confDir, "tls")
	if err := os.Mkdir(tlsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writePEM(t, filepath.Join(tlsDir, "server.pem"), "CERTIFICATE", srvCert.Raw)
	der, err := x509.MarshalECPrivateKey(srvKey)
	if err != nil {
		t.Fatal(err)
	}
	// Readable by the server's non-root user; the folder is the test's.
	writePEM(t, filepath.Join(tlsDir, "server-key.pem"), "EC PRIVATE KEY", der)
	perms, err := os.ReadFile(filepath.Join("nats", "permissions.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.confDir, "permissions.conf"), perms, 0o644); err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, u := range []string{"crawler", "parser", "sink", "admin"} {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		s.passwords[u] = hex.EncodeToString(b)
		p := ""
		if u != "admin" {
			p = ", permissions: $" + strings.ToUpper(u)
		}
		users = append(users, fmt.Sprintf("    { user: %s, password: %q%s }", u, s.passwords[u], p))
	}
	conf := fmt.Sprintf(`listen: 127.0.0.1:%d
max_payload: 8MB
jetstream { store_dir: /data, max_file_store: 2GB, max_memory_store: 64MB }
tls { cert_file: /etc/nats/tls/server.pem, key_file: /etc/nats/tls/server-key.pem }
include ./permissions.conf
authorization {
  users = [
%s
  ]
}
`, port, strings.Join(users, "\n"))
	if err := os.WriteFile(filepath.Join(s.confDir, "nats.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

// clientArgs are the podman options that let a trawler container join as
// user: its password, as compose's env_file passes it, and the CA, mounted
// where compose mounts it.
func (s securedNATS) clientArgs(user string) []string {
	return []string{"-e", "TRAWLER_NATS_USER=" + user, "-e", "TRAWLER_NATS_PASSWORD=" + s.passwords[user],
		"-e", "TRAWLER_NATS_TLS_CA=/etc/trawler/nats-ca/ca.pem", "-v", s.caDir + ":/etc/trawler/nats-ca:ro"}
}

func newCert(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, cn string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	signer, signerKey := tmpl, key
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign
	} else {
		tmpl.DNSNames, tmpl.IPAddresses = []string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")}
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// No secret given on the command line or in the environment comes back in
// what trawler prints: errors (a failed NATS connect, a sink that cannot
// be opened) and log lines.
func TestSecretsNeverPrinted(t *testing.T) {
	const secret = "s3cretPW"
	for _, args := range [][]string{
		{"crawl", "--nats", "nats://user:" + secret + "@127.0.0.1:1", "--metrics-addr", ""},
		{"seed", "--nats", "nats://" + secret + "@127.0.0.1:1", "http://127.0.0.1:2/"},
		{"run", "--data", filepath.Join(t.TempDir(), "d"), "--metrics-addr", "", "--sink", "postgres://u:" + secret + "@127.0.0.1:1/db?sslmode=disable", "http://127.0.0.1:2/"},
		{"run", "--data", filepath.Join(t.TempDir(), "d"), "--metrics-addr", "", "--sink", "postgres://127.0.0.1:1/db?sslmode=disable&password=" + secret, "http://127.0.0.1:2/"},
		{"crawl", "--nats", "nats://127.0.0.1:1", "--proxy", "http://u:" + secret + "@proxy:3128/%zz"},
	} {
		stderr, err := runCmd(t, context.Background(), args...)
		if err == nil {
			t.Errorf("%q: succeeded", args)
			continue
		}
		var out bytes.Buffer
		printError(&out, err)
		if all := stderr + out.String(); strings.Contains(all, secret) {
			t.Errorf("%q printed the secret:\n%s", args, all)
		}
	}

	var buf bytes.Buffer
	log, err := newLogger(&buf, "text", "info")
	if err != nil {
		t.Fatal(err)
	}
	log.Info("connect", "url", "nats://a:"+secret+"@n1:4222,nats://b:"+secret+"@n2:4222",
		"dsn", "host=db password="+secret, "err", errors.New("dial postgres://u:"+secret+"@db/t: refused"))
	if strings.Contains(buf.String(), secret) || !strings.Contains(buf.String(), "n1:4222") {
		t.Errorf("log line keeps a secret or loses the host:\n%s", buf.String())
	}
}

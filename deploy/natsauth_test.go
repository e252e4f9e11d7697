package deploy

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natsutil"
)

var update = flag.Bool("update", false, "rewrite nats/permissions.conf from the code")

// natsPasswords are the variables nats/nats.conf reads its users'
// passwords from; compose.yaml passes them to the servers.
var natsPasswords = map[natsutil.Role]string{
	natsutil.RoleCrawler: "NATS_CRAWLER_PASSWORD",
	natsutil.RoleParser:  "NATS_PARSER_PASSWORD",
	natsutil.RoleSink:    "NATS_SINK_PASSWORD",
	natsutil.RoleAdmin:   "NATS_ADMIN_PASSWORD",
}

// setNATSPasswords gives nats.conf's password variables a value, so that
// the file can be read.
func setNATSPasswords(t *testing.T) {
	for role, v := range natsPasswords {
		t.Setenv(v, "pw-"+string(role))
	}
}

// The documented permission sets are the code's: nats/permissions.conf is
// what natsutil.RenderPermissions writes for the default namespace.
func TestNATSPermissionsFile(t *testing.T) {
	want := natsutil.RenderPermissions(trawler.Names{NS: trawler.DefaultNamespace})
	if *update {
		if err := os.WriteFile("nats/permissions.conf", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("nats/permissions.conf")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("nats/permissions.conf differs from natsutil.Permissions; regenerate it: go test ./deploy/ -run TestNATSPermissionsFile -update")
	}
}

// nats.conf has a user per role, each with the role's permissions (admin
// with none), a password from the environment and storage limits.
func TestNATSConfAuth(t *testing.T) {
	setNATSPasswords(t)
	opts, err := server.ProcessConfigFile("nats/nats.conf")
	if err != nil {
		t.Fatalf("nats/nats.conf: %v", err)
	}
	users := map[string]*server.User{}
	for _, u := range opts.Users {
		users[u.Username] = u
	}
	names := trawler.Names{NS: trawler.DefaultNamespace}
	for _, role := range natsutil.Roles {
		u, ok := users[string(role)]
		if !ok {
			t.Errorf("nats.conf: no user %s", role)
			continue
		}
		if u.Password != "pw-"+string(role) {
			t.Errorf("nats.conf: user %s's password is not $%s", role, natsPasswords[role])
		}
		want := natsutil.Permissions(role, names)
		switch {
		case want == nil && u.Permissions != nil:
			t.Errorf("nats.conf: admin has permissions %+v, want none (all)", u.Permissions)
		case want != nil && (u.Permissions == nil || !equalAllow(u.Permissions.Publish, want.Publish) || !equalAllow(u.Permissions.Subscribe, want.Subscribe)):
			t.Errorf("nats.conf: user %s does not have the permissions of its role (include permissions.conf, permissions: $%s)", role, role)
		}
	}
	if len(opts.Users) != len(natsutil.Roles) || opts.Authorization != "" || opts.Username != "" {
		t.Errorf("nats.conf: users %d, want only the %d roles' users", len(opts.Users), len(natsutil.Roles))
	}
	if opts.JetStreamMaxStore <= 0 || opts.JetStreamMaxMemory < 0 {
		t.Errorf("nats.conf: JetStream max_file_store %d, max_memory_store %d: want limits", opts.JetStreamMaxStore, opts.JetStreamMaxMemory)
	}
}

func equalAllow(a, b *server.SubjectPermission) bool {
	if a == nil || b == nil {
		return a == b
	}
	if len(a.Allow) != len(b.Allow) || len(a.Deny) != len(b.Deny) {
		return false
	}
	for i := range a.Allow {
		if a.Allow[i] != b.Allow[i] {
			return false
		}
	}
	return true
}

// The NATS chart values run the servers with TLS, a user per role with the
// role's permissions and its password from Secret nats-users, which
// trawler's chart gives its workers.
func TestNATSValuesAuth(t *testing.T) {
	v := readValues(t, "helm/nats-values.yaml")
	if get(v, "config", "nats", "tls", "enabled") != true || str(get(v, "config", "nats", "tls", "secretName")) == "" {
		t.Error("nats-values.yaml: config.nats.tls is not enabled with a secretName")
	}
	if get(v, "config", "jetstream", "memoryStore", "maxSize") == nil || get(v, "config", "jetstream", "fileStore", "maxSize") == nil {
		t.Error("nats-values.yaml: JetStream without storage limits (fileStore.maxSize, memoryStore.maxSize)")
	}
	names := trawler.Names{NS: trawler.DefaultNamespace}
	users := list(get(v, "config", "merge", "authorization", "users"))
	if len(users) != len(natsutil.Roles) {
		t.Errorf("nats-values.yaml: %d users, want one per role %v", len(users), natsutil.Roles)
	}
	chart := readValues(t, filepath.Join(chartDir, "values.yaml"))
	secret := str(get(chart, "nats", "auth", "existingSecret"))
	if secret == "" || str(get(chart, "nats", "tls", "caSecret")) == "" {
		t.Error("trawler's values.yaml: nats.auth.existingSecret or nats.tls.caSecret is empty: workers would not authenticate or verify the servers")
	}
	for i, role := range natsutil.Roles {
		if i >= len(users) {
			break
		}
		u := users[i]
		if str(get(u, "user")) != string(role) {
			t.Errorf("nats-values.yaml: user %d is %v, want %s", i, get(u, "user"), role)
		}
		env := natsPasswords[role]
		if pw := str(get(u, "password")); pw != "<< $"+env+" >>" {
			t.Errorf("nats-values.yaml: user %s's password %q, want << $%s >>", role, pw, env)
		}
		if str(get(v, "container", "env", env, "valueFrom", "secretKeyRef", "name")) != secret ||
			str(get(v, "container", "env", env, "valueFrom", "secretKeyRef", "key")) != string(role) {
			t.Errorf("nats-values.yaml: container.env.%s is not key %s of Secret %s", env, role, secret)
		}
		want := natsutil.Permissions(role, names)
		var pub, sub []string
		for _, s := range list(get(u, "permissions", "publish", "allow")) {
			pub = append(pub, str(s))
		}
		for _, s := range list(get(u, "permissions", "subscribe", "allow")) {
			sub = append(sub, str(s))
		}
		switch {
		case want == nil && get(u, "permissions") != nil:
			t.Errorf("nats-values.yaml: admin has permissions, want none (all)")
		case want != nil && (!slices.Equal(pub, want.Publish.Allow) || !slices.Equal(sub, want.Subscribe.Allow)):
			t.Errorf("nats-values.yaml: user %s's permissions differ from natsutil.Permissions (see nats/permissions.conf)", role)
		}
	}
}

// Compose's NATS servers take clients over TLS with the users' passwords
// from deploy/secrets/nats.env, and each worker authenticates as its
// stage's user, trusting only the CA make nats-certs writes.
func TestComposeNATSSecured(t *testing.T) {
	users := map[string]string{"crawl": "crawler", "parse": "parser", "sink": "sink", "seed": "admin"}
	for name, s := range composeServices(t) {
		envFile := str(get(s, "env_file", 0, "path"))
		switch {
		case strings.HasPrefix(str(get(s, "image")), "nats:"):
			cmd := strings.Join(strSlice(get(s, "command")), " ")
			if !strings.Contains(cmd, "--tls --tlscert /etc/nats/tls/server.pem --tlskey /etc/nats/tls/server-key.pem") {
				t.Errorf("service %s: command %q does not require TLS with the certificate of make nats-certs", name, cmd)
			}
			if envFile != "./secrets/nats.env" {
				t.Errorf("service %s: env_file %q, want ./secrets/nats.env (the users' passwords)", name, envFile)
			}
		case isTrawler(s):
			user := users[name]
			if user == "" {
				t.Errorf("service %s: no NATS user known for it", name)
				continue
			}
			if got := str(get(s, "environment", "TRAWLER_NATS_USER")); got != user {
				t.Errorf("service %s: TRAWLER_NATS_USER %q, want %q", name, got, user)
			}
			if envFile != "./secrets/"+user+".env" {
				t.Errorf("service %s: env_file %q, want ./secrets/%s.env (its password)", name, envFile, user)
			}
			if str(get(s, "environment", "TRAWLER_NATS_TLS_CA")) != "/etc/trawler/nats-ca/ca.pem" ||
				!slices.Contains(strSlice(get(s, "volumes")), "./nats/ca:/etc/trawler/nats-ca:ro") {
				t.Errorf("service %s: does not verify the servers with the CA in deploy/nats/ca", name)
			}
		}
	}
}

func strSlice(v any) []string {
	var out []string
	for _, x := range list(v) {
		out = append(out, str(x))
	}
	return out
}

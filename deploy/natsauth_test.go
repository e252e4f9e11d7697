package deploy

import (
	"flag"
	"os"
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

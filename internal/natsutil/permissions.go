package natsutil

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/trawler/trawler"
)

// Role is a kind of NATS client of a pipeline, with the permissions it needs
// and no more (see Permissions).
type Role string

// The roles: one per stage, and admin for the commands that declare,
// seed and repair the pipeline (run, seed, dlq).
const (
	RoleCrawler Role = "crawler"
	RoleParser  Role = "parser"
	RoleSink    Role = "sink"
	RoleAdmin   Role = "admin"
)

// Roles lists every role, in a stable order.
var Roles = []Role{RoleCrawler, RoleParser, RoleSink, RoleAdmin}

// RoleOfStage is the role of a stage worker (trawler.StageCrawl…).
func RoleOfStage(stage string) Role {
	switch stage {
	case trawler.StageCrawl:
		return RoleCrawler
	case trawler.StageParse:
		return RoleParser
	case trawler.StageSink:
		return RoleSink
	}
	return RoleAdmin
}

// Permissions is what a role may publish and subscribe to on the pipeline
// names, or nil for admin, which may do anything. A stage may:
//
//   - read the JetStream API's descriptions of streams and consumers (what
//     Setup checks and the metrics collector reports), never messages;
//   - pull from and ack its own consumers;
//   - publish the subjects it produces and its own dead letters;
//   - read and write the buckets it uses, and only read the scope.
//
// No stage may create, change, purge or delete a stream or bucket: only
// admin declares them (Setup, from run or seed). So a crawler's credentials
// cannot publish an article, purge the frontier or delete the dead letters,
// and a sink's cannot touch the frontier or the pages.
//
// Replies come on the role's own inboxes (InboxPrefix): a stage cannot
// read the messages delivered to another.
func Permissions(role Role, n trawler.Names) *server.Permissions {
	var pub []string
	switch role {
	case RoleCrawler:
		pub = slices.Concat(readAPI,
			consume(n.FrontierStream(), "*"), // its partitions: crawlers-NN
			[]string{
				n.FrontierSubjects(), // deferred requests go back to their partition; redirects are enqueued
				n.PagesSubject(),
				n.DeadLetterSubject(trawler.StageCrawl),
			},
			kvWrite(n.LeaseBucket()), kvWrite(n.SeenBucket()), kvWrite(n.ScheduleBucket()),
			kvRead(n.ScopeBucket()))
	case RoleParser:
		pub = slices.Concat(readAPI,
			consume(n.PagesStream(), ParseConsumer),
			[]string{
				// Setup updates the parse consumer when --ack-wait changed.
				api("CONSUMER.CREATE", n.PagesStream(), ParseConsumer),
				api("CONSUMER.CREATE", n.PagesStream(), ParseConsumer, ">"),
				n.ArticlesSubject(),
				n.FrontierSubjects(), // links found, revisits due
				n.DeadLetterSubject(trawler.StageParse),
			},
			kvWrite(n.SeenBucket()), kvWrite(n.ScheduleBucket()),
			kvRead(n.ScopeBucket()))
	case RoleSink:
		pub = slices.Concat(readAPI,
			consume(n.ArticlesStream(), "*"),
			[]string{
				// Each sink declares its own durable consumer of the
				// articles stream, which keeps articles by age for every
				// sink: a consumer changed affects no other stream.
				api("CONSUMER.CREATE", n.ArticlesStream(), ">"),
				n.DeadLetterSubject(trawler.StageSink),
			})
	default:
		return nil
	}
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: pub},
		Subscribe: &server.SubjectPermission{Allow: []string{InboxPrefix(role) + ".>"}},
	}
}

// InboxPrefix is the prefix of the subjects a client of role receives
// replies on (fetched messages among them): _INBOX.<role> for a stage, so
// that no stage can read another's replies; _INBOX for admin and a client
// without a role.
func InboxPrefix(role Role) string {
	switch role {
	case RoleCrawler, RoleParser, RoleSink:
		return "_INBOX." + string(role)
	}
	return "_INBOX"
}

// readAPI are the JetStream API calls that describe streams and consumers.
var readAPI = []string{
	"$JS.API.INFO",
	api("STREAM.INFO", "*"),
	api("STREAM.NAMES"),
	api("STREAM.LIST"),
	api("CONSUMER.INFO", "*", "*"),
	api("CONSUMER.NAMES", "*"),
	api("CONSUMER.LIST", "*"),
}

// consume is pulling from the consumers of stream matching consumer, and
// acking what they deliver (acks, naks, progress and terms are all
// published to the message's $JS.ACK reply subject).
func consume(stream, consumer string) []string {
	return []string{
		api("CONSUMER.MSG.NEXT", stream, consumer),
		"$JS.ACK." + stream + ".>",
	}
}

// kvRead is getting keys of a bucket and watching it (a watch is an
// ordered consumer of the bucket's stream, which flow control answers).
func kvRead(bucket string) []string {
	s := "KV_" + bucket
	return []string{
		api("DIRECT.GET", s),
		api("DIRECT.GET", s, ">"),
		api("STREAM.MSG.GET", s),
		api("CONSUMER.CREATE", s, ">"),
		api("CONSUMER.DELETE", s, ">"),
		"$JS.FC." + s + ".>",
	}
}

// kvWrite is kvRead and putting, creating, updating and deleting keys.
func kvWrite(bucket string) []string {
	return append(kvRead(bucket), "$KV."+bucket+".>")
}

// api is the JetStream API subject of op on the tokens given.
func api(op string, tokens ...string) string {
	return strings.Join(append([]string{"$JS.API." + op}, tokens...), ".")
}

// RenderPermissions writes the permissions of every stage role as NATS
// server configuration variables (CRAWLER, PARSER, SINK), which a server
// configuration includes and gives its users: deploy/nats/permissions.conf is
// this, for the default namespace.
func RenderPermissions(n trawler.Names) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Permissions of trawler's stage users for namespace %q: each may use only\n", n.NS)
	b.WriteString("# the subjects and JetStream API calls its stage needs. Generated from\n")
	b.WriteString("# internal/natsutil/permissions.go; do not edit (go test ./deploy/ -update).\n")
	for _, r := range Roles {
		p := Permissions(r, n)
		if p == nil {
			continue
		}
		fmt.Fprintf(&b, "\n%s = {\n", strings.ToUpper(string(r)))
		for _, sp := range []struct {
			kind  string
			allow []string
		}{{"publish", p.Publish.Allow}, {"subscribe", p.Subscribe.Allow}} {
			fmt.Fprintf(&b, "  %s = {\n    allow = [\n", sp.kind)
			for _, s := range sp.allow {
				fmt.Fprintf(&b, "      %q\n", s)
			}
			b.WriteString("    ]\n  }\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

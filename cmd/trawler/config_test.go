package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/archive"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/worker"
	"github.com/trawler/trawler/parser"
	"github.com/trawler/trawler/sink"
)

// commandFlagSet is the flag set of command, for looking at its flags.
func commandFlagSet(command string) *flag.FlagSet {
	return newFlagSet(command, io.Discard, new(options))
}

// commands are the commands that take flags, in a stable order.
func commands() []string {
	var cs []string
	for c := range commandFlags {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	return cs
}

// testArchive returns a folder of WARC files holding one page.
func testArchive(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	w, err := archive.Create(dir, archive.Options{Prefix: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p := trawler.Page{URL: "http://a.example/", FinalURL: "http://a.example/", Status: 200, ContentType: "text/html",
		Kind: trawler.KindHTML, Body: []byte(seedArticle), FetchedAt: time.Now()}
	if err := errors.Join(w.Write(p, nil), w.Close()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// validArgs returns the arguments command needs besides the flag under
// test: where it would connect, nothing listens, and run's --data does not
// exist yet. The flags come first, then the positional arguments.
func validArgs(t *testing.T, command string) (flags, positional []string) {
	const deadNATS = "nats://127.0.0.1:1"
	switch command {
	case "run":
		return []string{"--data", filepath.Join(t.TempDir(), "data"), "--exit-when-idle", "--metrics-addr", ""}, nil
	case "crawl", "parse":
		return []string{"--nats", deadNATS}, nil
	case "sink":
		return []string{"--nats", deadNATS, "--sink", "jsonl:" + filepath.Join(t.TempDir(), "a.jsonl")}, nil
	case "seed", "forget":
		return []string{"--nats", deadNATS}, []string{"http://example.com/"}
	case "extract":
		return nil, []string{filepath.Join(t.TempDir(), "page.html")}
	case "reparse":
		return []string{"--data", filepath.Join(t.TempDir(), "data"), "--metrics-addr", ""}, []string{"warc:" + testArchive(t)}
	case "dlq list":
		return []string{"--nats", deadNATS}, nil
	case "dlq show":
		return []string{"--nats", deadNATS}, []string{"1"}
	case "dlq replay":
		return []string{"--nats", deadNATS, "--all"}, nil
	}
	t.Fatalf("no arguments for command %q", command)
	return nil, nil
}

// runBefore runs command with the flag arguments extra and the environment
// getenv, and checks that it stopped before starting anything: no
// connection (nothing listens, so one would fail with exit status 1), no
// data directory.
func runBefore(t *testing.T, command string, extra []string, getenv func(string) string) error {
	t.Helper()
	flags, positional := validArgs(t, command)
	args := slices.Concat(strings.Fields(command), flags, extra, positional)
	var stderr bytes.Buffer
	err := run(context.Background(), args, getenv, strings.NewReader(""), io.Discard, &stderr)
	if command == "run" {
		if _, serr := os.Stat(flags[1]); serr == nil {
			t.Errorf("%q: --data was created before the flags were checked", args)
		}
	}
	if err == nil {
		t.Fatalf("%q: accepted\n%s", args, stderr.String())
	}
	if exitCode(err) != 2 {
		t.Errorf("%q: %v (exit %d), want a usage error (exit 2) before anything starts", args, err, exitCode(err))
	}
	return err
}

// zeroMeansSomething are the numeric flags whose zero is a value (see
// TestFlagZeroMeansZero); every other one refuses it.
var zeroMeansSomething = map[string]bool{"host-delay": true, "max-depth": true, "max-pages-per-host": true, "max-pages-backlog": true,
	"max-pages": true, "max-articles": true, "max-duration": true, "max-queued": true, "seen-ttl": true}

// Every numeric flag of every command refuses a value it cannot parse, a
// negative value and (unless zero means something) zero, on the command line
// and in the environment, with an error naming it, before the command
// connects or creates anything.
func TestEveryNumericFlagRefusesBadValues(t *testing.T) {
	for _, command := range commands() {
		commandFlagSet(command).VisitAll(func(f *flag.Flag) {
			g, ok := f.Value.(flag.Getter)
			if !ok {
				return
			}
			var bad []string
			switch g.Get().(type) {
			case time.Duration:
				bad = []string{"soon", "-1s", "0s"}
			case int, int64, uint, uint64:
				bad = []string{"many", "-1", "0"}
			default:
				return
			}
			if zeroMeansSomething[f.Name] {
				bad = bad[:2]
			}
			for _, v := range bad {
				t.Run(command+" --"+f.Name+" "+v, func(t *testing.T) {
					err := runBefore(t, command, []string{"--" + f.Name, v}, env())
					if !strings.Contains(err.Error(), "-"+f.Name+" ") && !strings.Contains(err.Error(), "-"+f.Name+":") {
						t.Errorf("err = %q, want it to name --%s", err, f.Name)
					}
					err = runBefore(t, command, nil, env(envName(f.Name), v))
					if !strings.Contains(err.Error(), envName(f.Name)) && !strings.Contains(err.Error(), "--"+f.Name+" ") {
						t.Errorf("err = %q, want it to name %s or --%s", err, envName(f.Name), f.Name)
					}
				})
			}
		})
	}
}

// The flags whose values are read after parsing (patterns, rules, names,
// addresses, levels) are checked before anything starts too, and every
// mistake is reported at once, each naming its flag.
func TestFlagMistakesReportedTogether(t *testing.T) {
	tests := []struct {
		command string
		args    []string
		want    []string // in the error, in this order
	}{
		{"run", []string{"--namespace", "a b", "--include", "(", "--host-rule", "x", "--site-group", "y",
			"--log-level", "loud", "--log-format", "xml", "--listen", "nowhere", "--concurrency", "0", "--ack-wait", "1ms"},
			[]string{"--concurrency 0:", "--ack-wait 1ms:", "--log-level \"loud\"", "--log-format \"xml\"", "--namespace:", "--host-rule:",
				"--include/--exclude:", "--site-group:", "--listen \"nowhere\""}},
		{"crawl", []string{"--metrics-addr", "9090", "--log-format", "xml"}, []string{"--log-format \"xml\"", "--metrics-addr \"9090\""}},
		{"crawl", []string{"--header", "Cookie: a=b", "--header", "no colon", "--cookie-file", "/nonexistent/cookies.txt"},
			[]string{"--header: header \"Cookie: a=b\": Cookie is set by trawler itself", "--header: header \"no colon\"", "--cookie-file /nonexistent/cookies.txt:"}},
		{"crawl", []string{"--proxy", "socks5://user:s3cret@proxy:1080", "--archive", "/tmp/x"},
			[]string{"--proxy: proxy \"socks5://user:xxxxx@proxy:1080\"", "--archive \"/tmp/x\": want warc:DIR"}},
		{"parse", []string{"--since", "yesterday", "--until", "2026-13-01"}, []string{"--since \"yesterday\": want a day", "--until \"2026-13-01\""}},
		{"parse", []string{"--since", "2026-11-02", "--until", "2026-11-01"}, []string{"--until 2026-11-01: before --since 2026-11-02"}},
		{"sink", []string{"--max-deliver", "0"}, []string{"--max-deliver 0:", "give at least one --sink"}},
		{"seed", []string{"--partitions", "5000", "--namespace", ""}, []string{"--partitions 5000: must be between 1 and 1024", "--namespace:", "give at least one URL"}},
		{"dlq list", []string{"--stage", "fetch", "--log-level", "loud"}, []string{"--log-level \"loud\"", "--stage \"fetch\""}},
		{"dlq replay", []string{"--ack-wait", "0s"}, []string{"--ack-wait 0s:", "give IDs, --stage S or --all"}},
		{"extract", []string{"--max-body-size", "-1"}, []string{"--max-body-size -1:", "give at least one FILE"}},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			args := slices.Concat(strings.Fields(tt.command), tt.args)
			if tt.command == "run" {
				args = append(args, "--data", filepath.Join(t.TempDir(), "data"))
			}
			err := run(context.Background(), args, env(), strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || exitCode(err) != 2 {
				t.Fatalf("%q: err = %v (exit %d), want a usage error", args, err, exitCode(err))
			}
			msg, at := err.Error(), 0
			for _, w := range tt.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Errorf("%q: error does not report %q (in order):\n%s", args, w, msg)
					continue
				}
				at += i + len(w)
			}
		})
	}
}

// Every flag, on every command that takes it, reaches the command's config:
// from TRAWLER_<NAME>, and from the command line over the environment.
func TestEveryFlagReachesConfig(t *testing.T) {
	type entry struct {
		env, flag string // two values: the environment's, the command line's
		get       func(c *config) string
	}
	dur := func(d time.Duration) string { return d.String() }
	join := func(l []string) string { return strings.Join(l, ",") }
	// Two cookie files, each with one cookie for a.example named after it.
	cookieDir := t.TempDir()
	cookieFile := func(name string) string {
		p := filepath.Join(cookieDir, name)
		if err := os.WriteFile(p, []byte("a.example\tFALSE\t/\tFALSE\t0\tc\t"+name+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	res := func(rs []*regexp.Regexp) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.String())
		}
		return join(s)
	}
	level := func(c *config) string {
		for _, l := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
			if c.log.Enabled(context.Background(), l) {
				return strings.ToLower(l.String())
			}
		}
		return "none"
	}
	format := func(c *config) string {
		switch c.log.Handler().(type) {
		case *slog.JSONHandler:
			return "json"
		case *slog.TextHandler:
			return "text"
		}
		return "?"
	}
	hostRules := func(c *config) string {
		var s []string
		for h, r := range c.stages.Fetcher.HostRules {
			s = append(s, fmt.Sprintf("%s=delay:%v", h, r.Delay))
		}
		sort.Strings(s)
		return join(s)
	}
	auth := authFixtures(t)
	// Other flags a flag needs: a user its password, a certificate its key.
	companions := map[string][]string{
		"nats-user":          {"--nats-password", "pw"},
		"nats-password":      {"--nats-user", "u"},
		"nats-password-file": {"--nats-user", "u"},
		"nats-tls-cert":      {"--nats-tls-key", auth.key},
		"nats-tls-key":       {"--nats-tls-cert", auth.cert},
		"listen-tls-cert":    {"--listen", "127.0.0.1:0", "--listen-tls-key", auth.key},
		"listen-tls-key":     {"--listen", "127.0.0.1:0", "--listen-tls-cert", auth.cert},
	}
	// Two spellings of one file, for the flags whose file must be valid.
	twice := func(file string) (string, string) {
		return file, filepath.Join(filepath.Dir(file), ".", filepath.Base(file))
	}
	creds1, creds2 := twice(auth.creds)
	nkey1, nkey2 := twice(auth.nkey)
	ca1, ca2 := twice(auth.ca)
	cert1, cert2 := twice(auth.cert)
	key1, key2 := twice(auth.key)
	table := map[string]entry{
		"nats-creds":         {creds1, creds2, func(c *config) string { return c.natsAuth.CredsFile }},
		"nats-nkey":          {nkey1, nkey2, func(c *config) string { return c.natsAuth.NkeyFile }},
		"nats-user":          {"a", "b", func(c *config) string { return c.natsAuth.User }},
		"nats-password":      {"a", "b", func(c *config) string { return c.natsAuth.Password }},
		"nats-password-file": {auth.passwords[0], auth.passwords[1], func(c *config) string { return filepath.Join(auth.dir, c.natsAuth.Password) }},
		"nats-tls-ca":        {ca1, ca2, func(c *config) string { return c.natsAuth.TLSCA }},
		"nats-tls-cert":      {cert1, cert2, func(c *config) string { return c.natsAuth.TLSCert }},
		"nats-tls-key":       {key1, key2, func(c *config) string { return c.natsAuth.TLSKey }},
		"nats-auth":          {"nkey", "none", func(c *config) string { return c.serverAuth }},
		"listen-tls-cert":    {cert1, cert2, func(c *config) string { return c.listenCert }},
		"listen-tls-key":     {key1, key2, func(c *config) string { return c.listenKey }},
		"data":               {"/a", "/b", func(c *config) string { return c.data }},
		"listen":             {"127.0.0.1:1", "127.0.0.1:2", func(c *config) string { return c.listen }},
		"nats":               {"nats://a:1", "nats://b:2", func(c *config) string { return c.natsURL }},
		"namespace":          {"a", "b", func(c *config) string { return c.names.NS }},
		"seed":               {"http://a.example/", "http://b.example/", func(c *config) string { return join(c.seeds) }},
		"sink":               {"jsonl:a", "jsonl:b", func(c *config) string { return join(c.stages.Sinks) }},
		"sink-name": {"a", "b", func(c *config) string {
			name, _, err := sink.Name(join(c.stages.Sinks))
			if err != nil {
				return err.Error()
			}
			return name
		}},
		"allow-domain":       {"a.example", "b.example", func(c *config) string { return join(c.allowDomains) }},
		"max-depth":          {"3", "4", func(c *config) string { return strconv.Itoa(c.stages.MaxDepth) }},
		"exit-when-idle":     {"true", "false", func(c *config) string { return strconv.FormatBool(c.exitIdle) }},
		"force":              {"true", "false", func(c *config) string { return strconv.FormatBool(c.force) }},
		"all":                {"true", "false", func(c *config) string { return strconv.FormatBool(c.all) }},
		"allow-private":      {"true", "false", func(c *config) string { return strconv.FormatBool(c.stages.Fetcher.AllowPrivate) }},
		"allow-port":         {"8080", "8081", func(c *config) string { return strings.Trim(fmt.Sprint(c.stages.Fetcher.AllowPorts), "[]") }},
		"robots-cache-bytes": {"1000", "2000", func(c *config) string { return strconv.FormatInt(c.stages.Fetcher.RobotsCacheBytes, 10) }},
		"ignore-robots":      {"true", "false", func(c *config) string { return strconv.FormatBool(c.stages.Fetcher.IgnoreRobots) }},
		"no-revisit":         {"true", "false", func(c *config) string { return strconv.FormatBool(c.stages.NoRevisit) }},
		"host-delay":         {"2s", "3s", func(c *config) string { return dur(c.stages.Fetcher.HostDelay) }},
		"host-parallelism":   {"3", "4", func(c *config) string { return strconv.Itoa(c.stages.Fetcher.HostParallelism) }},
		"host-rule":          {"a.example=delay:2s", "b.example=delay:3s", hostRules},
		"concurrency":        {"5", "6", func(c *config) string { return strconv.Itoa(c.stages.CrawlConcurrency) }},
		"parsers":            {"5", "6", func(c *config) string { return strconv.Itoa(c.stages.ParseConcurrency) }},
		"user-agent":         {"a", "b", func(c *config) string { return c.stages.Fetcher.UserAgent }},
		"request-timeout":    {"2s", "3s", func(c *config) string { return dur(c.stages.Fetcher.RequestTimeout) }},
		"max-deliver":        {"3", "4", func(c *config) string { return strconv.FormatUint(c.stages.MaxDeliver, 10) }},
		"max-pages-backlog":  {"30", "40", func(c *config) string { return strconv.Itoa(c.stages.MaxPagesBacklog) }},
		"max-pages":          {"5", "6", func(c *config) string { return strconv.FormatUint(c.stages.Limits.MaxPages, 10) }},
		"max-articles":       {"7", "8", func(c *config) string { return strconv.FormatUint(c.stages.Limits.MaxArticles, 10) }},
		"max-duration":       {"1m0s", "2m0s", func(c *config) string { return c.stages.Limits.MaxDuration.String() }},
		"replicas":           {"2", "3", func(c *config) string { return strconv.Itoa(c.topology.Replicas) }},
		"partitions":         {"2", "3", func(c *config) string { return strconv.Itoa(c.topology.Partitions) }},
		"lease-ttl":          {"2s", "3s", func(c *config) string { return dur(c.topology.LeaseTTL) }},
		"ack-wait":           {"2s", "3s", func(c *config) string { return dur(c.topology.AckWait) }},
		"revisit-min":        {"1m0s", "2m0s", func(c *config) string { return dur(c.stages.Revisit.Min) }},
		"revisit-max":        {"7h0m0s", "8h0m0s", func(c *config) string { return dur(c.stages.Revisit.Max) }},
		"include":            {"a", "b", func(c *config) string { return res(c.stages.Rules.Include) }},
		"exclude":            {"a", "b", func(c *config) string { return res(c.stages.Rules.Exclude) }},
		"max-pages-per-host": {"3", "4", func(c *config) string { return strconv.Itoa(c.stages.HostPageBudget) }},
		"site-group":         {"a.example=x", "a.example=y", func(c *config) string { return "a.example=" + c.stages.SiteGroups.Group("a.example") }},
		"metrics-addr":       {"127.0.0.1:1", "127.0.0.1:2", func(c *config) string { return c.metricsAddr }},
		"log-format":         {"json", "text", format},
		"log-level":          {"debug", "error", level},
		"url":                {"http://a.example/", "http://b.example/", func(c *config) string { return c.extract.pageURL }},
		"content-type":       {"text/html; charset=a", "text/html; charset=b", func(c *config) string { return c.extract.contentType }},
		"stage":              {"crawl", "parse", func(c *config) string { return c.stage }},
		"since":              {"2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", func(c *config) string { return c.stages.Window.Since.Format(time.RFC3339) }},
		"until":              {"2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", func(c *config) string { return c.stages.Window.Until.Format(time.RFC3339) }},
		"nats-max-store":     {"2000000", "3000000", func(c *config) string { return strconv.FormatInt(c.maxStore, 10) }},
		"max-queued":         {"11", "12", func(c *config) string { return strconv.FormatUint(c.stages.MaxQueued, 10) }},
		"seen-ttl":           {"1h0m0s", "2h0m0s", func(c *config) string { return c.topology.SeenTTL.String() }},
		"proxy":              {"http://proxy-a:3128", "env", func(c *config) string { return c.stages.Fetcher.Proxy }},
		"archive":            {"warc:/a", "warc:/b", func(c *config) string { return "warc:" + c.stages.ArchiveDir }},
		"header": {"X-A: 1", "X-A: 2", func(c *config) string {
			var s []string
			for _, h := range c.stages.Fetcher.Headers {
				s = append(s, h.Name+": "+h.Value)
			}
			return join(s)
		}},
		"cookie-file": {cookieFile("1"), cookieFile("2"), func(c *config) string {
			if c.stages.Fetcher.Cookies == nil {
				return ""
			}
			u, _ := url.Parse("http://a.example/")
			for _, ck := range c.stages.Fetcher.Cookies.Cookies(u) {
				return filepath.Join(cookieDir, ck.Value)
			}
			return "no cookie"
		}},
		"strict":     {"true", "false", func(c *config) string { return strconv.FormatBool(c.strict) }},
		"stats-json": {"a.json", "b.json", func(c *config) string { return c.statsJSON }},
		"max-body-size": {"100", "200", func(c *config) string {
			// Crawlers and parsers take it from the fetcher's config,
			// extract from its input's.
			if c.stages.Fetcher.MaxBodySize != c.extract.maxBytes {
				return "fetcher and extract differ"
			}
			return strconv.FormatInt(c.extract.maxBytes, 10)
		}},
	}
	for _, command := range commands() {
		commandFlagSet(command).VisitAll(func(f *flag.Flag) {
			e, ok := table[f.Name]
			if !ok {
				t.Errorf("--%s (%s) is not in this test's table", f.Name, command)
				return
			}
			// Other flags the command requires, where the flag under
			// test is not the one.
			var base []string
			if command == "sink" && f.Name != "sink" {
				base = []string{"--sink", "jsonl:x"}
			}
			base = append(base, companions[f.Name]...)
			check := func(args []string, getenv func(string) string, want string) {
				t.Helper()
				cfg, err := parseConfig(command, args, getenv, io.Discard, nil)
				if err != nil {
					t.Errorf("%s %q: %v", command, args, err)
					return
				}
				if got := e.get(cfg); got != want {
					t.Errorf("%s %q with %s=%q: --%s = %q, want %q", command, args, envName(f.Name), getenv(envName(f.Name)), f.Name, got, want)
				}
			}
			check(base, env(envName(f.Name), e.env), e.env)
			check(append(base, "--"+f.Name+"="+e.flag), env(envName(f.Name), e.env), e.flag)
		})
	}
}

// authFixture are valid credential and certificate files.
type authFixture struct {
	dir                        string
	creds, nkey, ca, cert, key string
	passwords                  [2]string // files holding their own base names
}

func authFixtures(t *testing.T) authFixture {
	t.Helper()
	dir := t.TempDir()
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	seed, err := kp.Seed()
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f := authFixture{dir: dir}
	f.nkey = write("user.nk", string(seed)+"\n")
	f.creds = write("user.creds", "-----BEGIN NATS USER JWT-----\neyJhbGciOiJlZDI1NTE5In0.e30.sig\n------END NATS USER JWT------\n\n"+
		"-----BEGIN USER NKEY SEED-----\n"+string(seed)+"\n------END USER NKEY SEED------\n")
	f.ca, f.cert, f.key = natstest.TLSFiles(t)
	f.passwords = [2]string{write("pw-a", "pw-a\n"), write("pw-b", "pw-b")}
	return f
}

// A default is declared once, by the package that applies it to a zero
// config: the flags show that value, and an unset flag reaches the config
// as it.
func TestFlagDefaultsAreThePackages(t *testing.T) {
	defaults := map[string]string{
		"nats":             nats.DefaultURL,
		"namespace":        trawler.DefaultNamespace,
		"concurrency":      strconv.Itoa(pipeline.DefaultCrawlConcurrency),
		"parsers":          strconv.Itoa(pipeline.DefaultParseConcurrency()),
		"max-deliver":      strconv.Itoa(worker.DefaultMaxDeliver),
		"ack-wait":         natsutil.DefaultAckWait.String(),
		"replicas":         strconv.Itoa(natsutil.DefaultReplicas),
		"partitions":       strconv.Itoa(natsutil.DefaultPartitions),
		"lease-ttl":        natsutil.DefaultLeaseTTL.String(),
		"revisit-min":      frontier.DefaultRevisitMin.String(),
		"revisit-max":      frontier.DefaultRevisitMax.String(),
		"host-delay":       crawler.DefaultHostDelay.String(),
		"host-parallelism": strconv.Itoa(crawler.DefaultHostParallelism),
		"request-timeout":  crawler.DefaultRequestTimeout.String(),
		"user-agent":       crawler.DefaultUserAgent,
	}
	for _, command := range commands() {
		fs := commandFlagSet(command)
		for name, want := range defaults {
			if f := fs.Lookup(name); f != nil && f.DefValue != want {
				t.Errorf("%s --%s defaults to %s, want the package's %s", command, name, f.DefValue, want)
			}
		}
		want := strconv.Itoa(crawler.DefaultMaxBodySize)
		if command == "extract" {
			want = strconv.Itoa(parser.DefaultMaxPageBytes)
		}
		if f := fs.Lookup("max-body-size"); f != nil && f.DefValue != want {
			t.Errorf("%s --max-body-size defaults to %s, want %s", command, f.DefValue, want)
		}
	}

	cfg, err := parseConfig("run", nil, env(), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.nodeConfig(true, true, nil, nil)
	if n.CrawlConcurrency != pipeline.DefaultCrawlConcurrency || n.ParseConcurrency != pipeline.DefaultParseConcurrency() ||
		n.MaxDeliver != worker.DefaultMaxDeliver {
		t.Errorf("node config: crawl concurrency %d, parse concurrency %d, max deliver %d", n.CrawlConcurrency, n.ParseConcurrency, n.MaxDeliver)
	}
	want := natsutil.Topology{Replicas: natsutil.DefaultReplicas, AckWait: natsutil.DefaultAckWait,
		Partitions: natsutil.DefaultPartitions, LeaseTTL: natsutil.DefaultLeaseTTL}
	if n.Topology != want {
		t.Errorf("topology = %+v, want %+v", n.Topology, want)
	}
	if n.Revisit != (frontier.RevisitConfig{Min: frontier.DefaultRevisitMin, Max: frontier.DefaultRevisitMax}) {
		t.Errorf("revisit = %+v", n.Revisit)
	}
	if f := n.Fetcher; f.RequestTimeout != crawler.DefaultRequestTimeout || f.MaxBodySize != crawler.DefaultMaxBodySize ||
		f.UserAgent != crawler.DefaultUserAgent {
		t.Errorf("fetcher = %+v", f)
	}
}

// The log flags are declared once: every command that logs takes the same
// two, dlq with warnings as its default level (it prints tables).
func TestLogFlagsShared(t *testing.T) {
	for _, command := range commands() {
		fs := commandFlagSet(command)
		format, level := fs.Lookup("log-format"), fs.Lookup("log-level")
		if command == "extract" {
			if format != nil || level != nil {
				t.Errorf("extract takes log flags")
			}
			continue
		}
		if format == nil || level == nil {
			t.Errorf("%s: no --log-format or --log-level", command)
			continue
		}
		wantLevel := "info"
		if strings.HasPrefix(command, "dlq ") {
			wantLevel = "warn"
		}
		if level.DefValue != wantLevel || level.Usage != "log level: debug, info, warn or error" ||
			format.DefValue != "text" || format.Usage != "log format: text or json" {
			t.Errorf("%s: --log-level %q (%s), --log-format %q (%s)", command, level.DefValue, level.Usage, format.DefValue, format.Usage)
		}
	}
}

// README's configuration table documents every flag, with its default.
func TestReadmeDocumentsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// | `--flag ARG` / `--other ARG` | default / default | meaning |
	documented := map[string]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "| `--") {
			continue
		}
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "/"), "|")
		names, defs := strings.Split(cells[1], " / "), strings.Split(cells[2], " / ")
		for i, n := range names {
			name := strings.TrimPrefix(strings.Fields(strings.Trim(strings.TrimSpace(n), "`"))[0], "--")
			def := defs[0]
			if len(defs) == len(names) {
				def = defs[i]
			}
			documented[name] = strings.Trim(strings.TrimSpace(def), "`")
		}
	}
	seen := map[string]bool{}
	// extract and dlq have their own sections.
	for _, command := range []string{"run", "crawl", "parse", "sink", "seed"} {
		commandFlagSet(command).VisitAll(func(f *flag.Flag) {
			if seen[f.Name] {
				return
			}
			seen[f.Name] = true
			doc, ok := documented[f.Name]
			if !ok {
				t.Errorf("README's flag table does not document --%s", f.Name)
				return
			}
			g, ok := f.Value.(flag.Getter)
			if !ok {
				return // a list: its default is described
			}
			switch v := g.Get().(type) {
			case bool:
				if v || doc != "off" {
					t.Errorf("README: --%s defaults to %q, the flag to %v", f.Name, doc, v)
				}
			case time.Duration:
				if d, err := time.ParseDuration(doc); err != nil || d != v {
					t.Errorf("README: --%s defaults to %q, the flag to %v", f.Name, doc, v)
				}
			case int, int64, uint:
				if f.Name == "parsers" {
					return // the CPUs of the machine
				}
				if fields := strings.Fields(doc); len(fields) == 0 || fields[0] != f.DefValue {
					t.Errorf("README: --%s defaults to %q, the flag to %s", f.Name, doc, f.DefValue)
				}
			case string:
				if !strings.Contains(doc, "<") && doc != v {
					t.Errorf("README: --%s defaults to %q, the flag to %q", f.Name, doc, v)
				}
			}
		})
	}
}

// A usage error is printed one mistake a line, each after "trawler:".
func TestPrintError(t *testing.T) {
	var out strings.Builder
	printError(&out, usageError{error: errors.Join(errors.New("--a 0: must be at least 1"), errors.New("--b -1s: must not be negative"))})
	if want := "trawler: --a 0: must be at least 1\ntrawler: --b -1s: must not be negative\nRun 'trawler help' for usage.\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	out.Reset()
	printError(&out, flag.ErrHelp)
	if out.Len() != 0 {
		t.Errorf("-h printed %q", out.String())
	}
}

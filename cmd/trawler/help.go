package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// commandDoc is what trawler help COMMAND shows above the flags.
type commandDoc struct {
	synopsis string   // the command line, without "trawler"
	summary  string   // one line, for trawler help
	about    string   // a paragraph
	args     string   // the positional arguments, or ""
	examples []string // command lines, each with a comment
}

// commandList are the commands in the order trawler help lists them.
var commandList = []string{"run", "crawl", "parse", "sink", "seed", "forget", "reparse", "extract", "dlq list", "dlq show", "dlq replay", "version", "help"}

var commandDocs = map[string]commandDoc{
	"run": {
		synopsis: "run [flags] [URL …]",
		summary:  "all stages in one process on an embedded NATS server",
		about: `Crawls the seeds and everything they link to in scope, with every stage in
this process on an embedded NATS server whose state is in --data: run the
same command again and it resumes where it stopped. Without
--exit-when-idle it runs until interrupted. At exit it prints a summary
(--stats-json FILE writes it as JSON too).`,
		args: "URL …  seeds, as with --seed",
		examples: []string{
			"trawler run --exit-when-idle https://www.example.com/news/   # crawl one site, then exit",
			"trawler run --data ./crawl --seed https://a.example/feed.xml --sink jsonl:out/?rotate=100MB",
			"trawler run --listen 0.0.0.0:4222 --seed https://a.example/   # remote workers may join with --nats",
		},
	},
	"crawl": {
		synopsis: "crawl --nats URL [flags]",
		summary:  "a crawler worker",
		about:    "Fetches URLs from the frontier and publishes the pages, until SIGTERM (then it drains and exits 0).",
		examples: []string{
			"trawler crawl --nats nats://nats:4222",
			"trawler crawl --nats nats://nats:4222 --concurrency 64 --host-delay 2s",
		},
	},
	"parse": {
		synopsis: "parse --nats URL [flags]",
		summary:  "a parser worker",
		about:    "Turns pages into articles and feeds in-scope links back into the frontier, until SIGTERM.",
		examples: []string{
			"trawler parse --nats nats://nats:4222",
			"trawler parse --nats nats://nats:4222 --max-depth 4 --exclude '/tag/'",
		},
	},
	"sink": {
		synopsis: "sink --nats URL --sink SPEC [--sink SPEC …] [flags]",
		summary:  "a sink worker",
		about:    "Writes the articles stream to each sink, acking only what is durably stored, until SIGTERM.",
		examples: []string{
			"trawler sink --nats nats://nats:4222 --sink jsonl:/data/articles.jsonl",
			"trawler sink --nats nats://nats:4222 --sink postgres://trawler@db/trawler",
		},
	},
	"seed": {
		synopsis: "seed --nats URL [flags] URL …",
		summary:  "enqueue seeds (new, or failed last time) into a running pipeline",
		args:     "URL …  the seeds; their registered domains are put in scope",
		examples: []string{
			"trawler seed --nats nats://nats:4222 https://www.example.com/news/",
			"trawler seed https://a.example/ --force --nats nats://nats:4222   # flags may follow arguments",
		},
	},
	"forget": {
		synopsis: "forget --nats URL [flags] URL …",
		summary:  "reset what a pipeline remembers of URLs, so they are crawled again",
		about: `Forgets whether each URL was queued, fetched or failed, and its revisit
schedule: a link to it, or seeding it, enqueues it again (seed --force
does the same for seeds only).`,
		args: "URL …  the URLs, normalized as the crawl does",
		examples: []string{
			"trawler forget --nats nats://nats:4222 https://www.example.com/news/story-1",
		},
	},
	"reparse": {
		synopsis: "reparse [flags] warc:DIR|warc:FILE …",
		summary:  "parse archived pages again into the sinks (see --archive)",
		about: `Reads the pages a crawl kept with --archive warc:DIR and parses them
again, with this trawler's parser, into the sinks, on an embedded server
in --data; nothing is fetched and links are not followed. An article keeps
its URL and fetch time; a sink that holds it stores a changed extraction as
another version, which becomes the current one.`,
		args: "warc:DIR … or warc:FILE …  folders of WARC files, or files",
		examples: []string{
			"trawler reparse warc:./crawl/warc   # into jsonl:./trawler-data/articles.jsonl",
			"trawler reparse --sink postgres://trawler@db/trawler --data /tmp/reparse warc:/archive/2026-11",
		},
	},
	"extract": {
		synopsis: "extract [flags] FILE …",
		summary:  "parse saved HTML files, print Article JSON lines (no NATS)",
		args:     `FILE …  saved pages; "-" is stdin`,
		examples: []string{
			"trawler extract page.html",
			"curl -s https://a.example/x | trawler extract --url https://a.example/x -",
		},
	},
	"dlq list": {
		synopsis: "dlq list [flags]",
		summary:  "list dead letters (ID, stage, deliveries, error)",
		examples: []string{
			"trawler dlq list --nats nats://nats:4222",
			"trawler dlq list --stage crawl",
		},
	},
	"dlq show": {
		synopsis: "dlq show [flags] ID",
		summary:  "one dead letter: headers, error and message",
		args:     "ID  a dead letter's ID, as dlq list prints it",
		examples: []string{"trawler dlq show 12 --nats nats://nats:4222"},
	},
	"dlq replay": {
		synopsis: "dlq replay [flags] ID …|--all",
		summary:  "republish dead letters to their subject, then delete them",
		args:     "ID …  dead letters' IDs (or --all, or --stage S)",
		examples: []string{
			"trawler dlq replay 12 13",
			"trawler dlq replay --stage sink --all",
		},
	},
	"version": {synopsis: "version", summary: "print the release"},
	"help":    {synopsis: "help [COMMAND]", summary: "list the commands, or one command's usage"},
}

// printCommands is plain trawler help: the commands, one line each.
func printCommands(w io.Writer) {
	fmt.Fprintf(w, "trawler %s: crawl news sites into structured articles.\n\nUsage: trawler COMMAND [flags] [arguments]\n\nCommands:\n", version)
	for _, c := range commandList {
		fmt.Fprintf(w, "  %-12s %s\n", c, commandDocs[c].summary)
	}
	fmt.Fprint(w, `
"trawler help COMMAND" shows a command's synopsis, examples and flags.
Every flag can also be set as TRAWLER_<FLAG_NAME> in the environment
(e.g. TRAWLER_HOST_DELAY=2s; repeatable flags take a comma-separated list);
a flag on the command line wins. Flags may come before or after arguments.
`)
	fmt.Fprint(w, exitStatusHelp)
}

// exitStatusHelp documents the exit statuses (kept in step with exitCode
// and README's "Exit status").
const exitStatusHelp = `
Exit status:
  0    finished
  1    a fatal error, or run could fetch nothing at all
  2    usage: a bad flag, value or argument (nothing was started)
  3    run --strict: the crawl left dead letters (trawler dlq list)
  130  interrupted by SIGINT (143: SIGTERM); run the same command to resume
`

// printCommandHelp is trawler help COMMAND: synopsis, arguments, examples
// and the command's flags by section.
func printCommandHelp(w io.Writer, command string) {
	doc := commandDocs[command]
	fmt.Fprintf(w, "Usage: trawler %s\n\n%s.\n", doc.synopsis, upperFirst(doc.summary))
	if doc.about != "" {
		fmt.Fprintf(w, "\n%s\n", doc.about)
	}
	if doc.args != "" {
		fmt.Fprintf(w, "\nArguments:\n  %s\n", doc.args)
	}
	if len(doc.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range doc.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	if _, ok := commandFlags[command]; ok {
		var o options
		printFlagSections(w, newFlagSet(command, io.Discard, &o))
	}
	if command == "run" {
		fmt.Fprint(w, exitStatusHelp)
	}
}

// flagSections group the flags in help; a flag in none is under "Other".
var flagSections = []struct {
	title string
	flags []string
}{
	{"Input", []string{"seed", "data", "listen", "exit-when-idle", "nats", "namespace", "force", "url", "content-type", "stage", "all"}},
	{"Output", []string{"sink", "stats-json", "strict", "archive"}},
	{"Scope", []string{"allow-domain", "include", "exclude", "max-depth", "max-pages-per-host", "max-queued", "since", "until"}},
	{"Limits", []string{"max-pages", "max-articles", "max-duration", "max-pages-backlog"}},
	{"Politeness", []string{"host-delay", "host-parallelism", "host-rule", "ignore-robots", "user-agent"}},
	{"Fetching", []string{"concurrency", "request-timeout", "max-body-size", "allow-private", "allow-port", "robots-cache-bytes", "proxy", "header", "cookie-file", "revisit-min", "revisit-max", "no-revisit"}},
	{"Parsing", []string{"parsers", "site-group"}},
	{"NATS access", []string{"nats-auth", "listen-tls-cert", "listen-tls-key", "nats-creds", "nats-nkey", "nats-user", "nats-password", "nats-password-file", "nats-tls-ca", "nats-tls-cert", "nats-tls-key", "nats-max-store"}},
	{"Queues (NATS)", []string{"max-deliver", "ack-wait", "replicas", "partitions", "lease-ttl", "seen-ttl"}},
	{"Logs and metrics", []string{"log-format", "log-level", "metrics-addr"}},
}

// printFlagSections prints the flags of fs in the format of
// flag.PrintDefaults, by section.
func printFlagSections(w io.Writer, fs *flag.FlagSet) {
	shown := map[string]bool{}
	section := func(title string, names []string) {
		sub := flag.NewFlagSet(title, flag.ContinueOnError)
		for _, n := range names {
			if f := fs.Lookup(n); f != nil && !shown[n] {
				shown[n] = true
				sub.Var(f.Value, f.Name, f.Usage)
				sub.Lookup(f.Name).DefValue = f.DefValue
			}
		}
		if !hasFlags(sub) {
			return
		}
		fmt.Fprintf(w, "\n%s flags:\n", title)
		sub.SetOutput(w)
		sub.PrintDefaults()
	}
	for _, s := range flagSections {
		section(s.title, s.flags)
	}
	var other []string
	fs.VisitAll(func(f *flag.Flag) {
		if !shown[f.Name] {
			other = append(other, f.Name)
		}
	})
	section("Other", other)
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

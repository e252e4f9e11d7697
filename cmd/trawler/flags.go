package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/frontier"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/pipeline"
	"github.com/trawler/trawler/internal/redact"
	"github.com/trawler/trawler/internal/worker"
	"github.com/trawler/trawler/parser"
	"github.com/trawler/trawler/sink"
)

// options are the flags as given: register binds them to a flag set,
// parseFlags fills them from the command line and the environment, and
// options.config reads each of them once into the command's config.
type options struct {
	data         string
	listen       string
	natsURL      string
	namespace    string
	natsCreds    string
	natsNkey     string
	natsUser     string
	natsPassword string
	natsPassFile string
	natsTLSCA    string
	natsTLSCert  string
	natsTLSKey   string
	natsAuth     string // run
	listenCert   string // run
	listenKey    string // run
	maxStore     int64  // run
	seeds        list
	sinks        list
	sinkName     string
	allowDomains list
	maxDepth     int
	exitIdle     bool
	strict       bool   // run
	statsJSON    string // run
	force        bool   // seed

	allowPrivate    bool
	allowPorts      portList
	ignoreRobots    bool
	robotsCache     int64
	hostDelay       time.Duration
	hostParallelism int
	concurrency     int
	parsers         int
	userAgent       string
	requestTimeout  time.Duration
	maxBodySize     int64
	maxDeliver      uint
	maxPagesBacklog int
	maxQueued       uint64
	seenTTL         time.Duration
	maxPages        uint64
	maxArticles     uint64
	maxDuration     time.Duration
	replicas        int
	partitions      int
	leaseTTL        time.Duration
	hostRules       ruleList
	headers         lineList
	since, until    string
	cookieFile      string
	archiveSpec     string
	proxy           string
	revisitMin      time.Duration
	revisitMax      time.Duration
	noRevisit       bool
	include         ruleList
	exclude         ruleList
	hostPageBudget  int
	ackWait         time.Duration
	siteGroups      list

	metricsAddr string
	logFormat   string
	logLevel    string

	url         string // extract
	contentType string // extract

	stage string // dlq
	all   bool   // dlq replay

	flags *flag.FlagSet // where register put the flags: config reads those
	args  []string      // the positional arguments, as parseFlags found them
}

// ruleList is a repeatable flag whose values may hold several
// space-separated items. Unlike list, its environment value is not split on
// commas (host rules contain them): TRAWLER_HOST_RULE='a=delay:2s,parallelism:1 b=delay:3s'.
type ruleList []string

func (l *ruleList) String() string { return strings.Join(*l, " ") }
func (l *ruleList) Set(v string) error {
	*l = append(*l, strings.Fields(v)...)
	return nil
}

// lineList is a repeatable flag whose values may hold several items, one
// per line: request headers hold commas and spaces, so
// TRAWLER_HEADER=$'X-A: 1\nexample.com=X-B: 2'.
type lineList []string

func (l *lineList) String() string { return strings.Join(*l, "\n") }
func (l *lineList) Set(v string) error {
	for line := range strings.Lines(v) {
		if line = strings.TrimSpace(line); line != "" {
			*l = append(*l, line)
		}
	}
	return nil
}

// portList is a repeatable flag of TCP ports, each value a comma-separated
// list of them: --allow-port 80,443 --allow-port 8080.
type portList []int

func (l *portList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ",")
}

func (l *portList) Set(v string) error {
	for _, f := range strings.Split(v, ",") {
		p, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("port %q: want a number from 1 to 65535", f)
		}
		*l = append(*l, p)
	}
	return nil
}

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

type flagGroup int

const (
	gLog     flagGroup = 1 << iota // --log-format, --log-level
	gLogWarn                       // the same, logging warnings and errors only by default
	gMetrics                       // --metrics-addr
	gNATS                          // --nats, --namespace and the topology flags
	gCrawl                         // fetcher flags
	gParse                         // scope and depth flags used by parsers
	gSink
	gRun     // embedded server flags
	gSeed    // seed's own flags
	gDLQ     // dead-letter commands
	gReplay  // dlq replay's own flags
	gExtract // extract's flags; not with gCrawl, gParse or gRun (--max-body-size)
	gData    // --data, for reparse (run has it with gRun)

	gCommon = gLog | gMetrics
)

// commandFlags are the flags each command takes.
var commandFlags = map[string]flagGroup{
	"run":        gCommon | gRun,
	"crawl":      gCommon | gNATS | gCrawl,
	"parse":      gCommon | gNATS | gParse,
	"sink":       gCommon | gNATS | gSink,
	"seed":       gLog | gNATS | gSeed,
	"forget":     gLog | gNATS,
	"extract":    gExtract,
	"reparse":    gCommon | gParse | gSink | gData,
	"dlq list":   gLogWarn | gNATS | gDLQ,
	"dlq show":   gLogWarn | gNATS | gDLQ,
	"dlq replay": gLogWarn | gNATS | gDLQ | gReplay,
}

// maxBodySizeUsage documents --max-body-size, the one page size limit of
// the crawl and parse stages and of extract.
const maxBodySizeUsage = "pages larger than `BYTES` are refused whole, never truncated: not fetched, not parsed"

// register adds the flags of groups to fs. A flag's default is the real
// default, declared by the package that applies it: the config a flag feeds
// takes its zero value literally where zero means something (no delay, no
// limit), and config refuses a zero that means nothing.
func (o *options) register(fs *flag.FlagSet, groups flagGroup) {
	o.flags = fs
	if groups&(gLog|gLogWarn) != 0 {
		level := "info"
		if groups&gLogWarn != 0 {
			level = "warn"
		}
		fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
		fs.StringVar(&o.logLevel, "log-level", level, "log level: debug, info, warn or error")
	}
	if groups&gMetrics != 0 {
		fs.StringVar(&o.metricsAddr, "metrics-addr", "127.0.0.1:0", "serve /metrics, /healthz and /readyz on `HOST:PORT` (port 0 picks a free port and logs it; empty disables)")
	}
	if groups&gNATS != 0 {
		fs.StringVar(&o.natsURL, "nats", nats.DefaultURL, "NATS server `URL`s, comma-separated")
		fs.StringVar(&o.natsCreds, "nats-creds", "", "authenticate to NATS with this user credentials `FILE` (JWT and nkey seed)")
		fs.StringVar(&o.natsNkey, "nats-nkey", "", "authenticate to NATS with the nkey user seed in `FILE` (as run --nats-auth nkey writes them)")
		fs.StringVar(&o.natsUser, "nats-user", "", "authenticate to NATS as `USER` (with --nats-password or --nats-password-file)")
		fs.StringVar(&o.natsPassword, "nats-password", "", "password of --nats-user; prefer the environment (TRAWLER_NATS_PASSWORD) or --nats-password-file to the command line")
		fs.StringVar(&o.natsPassFile, "nats-password-file", "", "read the password of --nats-user from `FILE`")
		fs.StringVar(&o.natsTLSCA, "nats-tls-ca", "", "verify the NATS server's certificate with the CAs in this PEM `FILE` (and require TLS)")
		fs.StringVar(&o.natsTLSCert, "nats-tls-cert", "", "client certificate PEM `FILE` for NATS servers that verify clients (with --nats-tls-key)")
		fs.StringVar(&o.natsTLSKey, "nats-tls-key", "", "key PEM `FILE` of --nats-tls-cert")
	}
	if groups&(gNATS|gRun) != 0 {
		fs.StringVar(&o.namespace, "namespace", trawler.DefaultNamespace, "prefix of every subject, stream and bucket, so pipelines can share a NATS server")
		fs.UintVar(&o.maxDeliver, "max-deliver", worker.DefaultMaxDeliver, "deliveries of a failing message before it is dead-lettered")
		fs.IntVar(&o.replicas, "replicas", natsutil.DefaultReplicas, "replicas of the streams and buckets, when this process is the one creating them")
		fs.IntVar(&o.partitions, "partitions", natsutil.DefaultPartitions, "frontier partitions (the most crawlers that can work at once), when this process creates the frontier")
		fs.DurationVar(&o.leaseTTL, "lease-ttl", natsutil.DefaultLeaseTTL, "life of an unrenewed frontier partition lease, when this process creates the lease bucket")
		fs.DurationVar(&o.ackWait, "ack-wait", natsutil.DefaultAckWait, "redelivery timeout of a message taken by a worker that died; set the same on every worker")
		fs.DurationVar(&o.seenTTL, "seen-ttl", 0, "forget that a URL was seen `D` after its last visit, so the seen bucket stops growing (0: never); a forgotten URL is crawled again when linked")
	}
	if groups&gData != 0 {
		o.namespace = trawler.DefaultNamespace // its own embedded server: no --namespace to give
	}
	if groups&(gRun|gData) != 0 {
		fs.StringVar(&o.data, "data", "./trawler-data", "`DIR` for the embedded server's state and the default sink; a run resumes from it")
	}
	if groups&gRun != 0 {
		fs.StringVar(&o.listen, "listen", "", "also expose the embedded NATS server on `HOST:PORT` so remote workers can join (beyond loopback, only with --nats-auth nkey)")
		fs.StringVar(&o.natsAuth, "nats-auth", "none", "clients of the embedded NATS server: none, or nkey (one user per stage with its permissions; seeds kept in <data>/nats-auth/, generated when missing)")
		fs.StringVar(&o.listenCert, "listen-tls-cert", "", "serve --listen over TLS with this certificate PEM `FILE` (with --listen-tls-key)")
		fs.StringVar(&o.listenKey, "listen-tls-key", "", "key PEM `FILE` of --listen-tls-cert")
		fs.Int64Var(&o.maxStore, "nats-max-store", natsutil.DefaultMaxStore, "cap the embedded server's JetStream storage at `BYTES`: past it, publishes are refused and the crawl backs off instead of filling the disk")
		fs.Var(&o.seeds, "seed", "seed `URL` (repeatable)")
		fs.BoolVar(&o.exitIdle, "exit-when-idle", false, "exit once nothing is queued, in flight or unwritten")
		fs.BoolVar(&o.strict, "strict", false, "exit with status 3 if the crawl left dead letters")
		fs.StringVar(&o.statsJSON, "stats-json", "", "also write the summary printed at exit to `FILE` as JSON")
	}
	if groups&(gCrawl|gParse|gRun) != 0 {
		fs.DurationVar(&o.revisitMin, "revisit-min", frontier.DefaultRevisitMin, "shortest interval between visits of a feed, sitemap or hub (halved while it shows new links)")
		fs.DurationVar(&o.revisitMax, "revisit-max", frontier.DefaultRevisitMax, "longest interval between visits of a feed, sitemap or hub (doubled while it shows none)")
		fs.BoolVar(&o.noRevisit, "no-revisit", false, "fetch feeds, sitemaps and hubs once, like articles")
		fs.Int64Var(&o.maxBodySize, "max-body-size", crawler.DefaultMaxBodySize, maxBodySizeUsage)
	}
	if groups&(gParse|gRun) != 0 {
		fs.Var(&o.include, "include", "follow only links whose URL matches one of these `REGEXP`s (repeatable; feeds and sitemaps too)")
		fs.Var(&o.exclude, "exclude", "never follow links whose URL matches `REGEXP` (repeatable)")
		fs.IntVar(&o.hostPageBudget, "max-pages-per-host", pipeline.DefaultHostPageBudget, "enqueue at most `N` URLs per host, across the cluster (0: no limit)")
		fs.Uint64Var(&o.maxQueued, "max-queued", pipeline.DefaultMaxQueued, "enqueue no new links while the frontier holds `N` requests, across the cluster (0: no limit)")
		fs.StringVar(&o.since, "since", "", "write only articles published at or after `TIME` (2026-11-01 or RFC 3339; undated articles are written)")
		fs.StringVar(&o.until, "until", "", "write only articles published at or before `TIME` (a day means its end)")
		fs.IntVar(&o.maxDepth, "max-depth", 16, "links deeper than `N` are not followed (seeds are depth 0)")
		fs.Var(&o.allowDomains, "allow-domain", "crawl this registered `DOMAIN` and its subdomains (repeatable; default: the seeds' domains)")
		fs.IntVar(&o.parsers, "parsers", pipeline.DefaultParseConcurrency(), "pages parsed at once (default: the CPUs available)")
		fs.Var(&o.siteGroups, "site-group", "`DOMAIN=GROUP`: count the extracted fields of articles from DOMAIN and its subdomains (trawler_parse_fields_total) under site group GROUP (repeatable; the longest matching DOMAIN wins; other sites are \"other\")")
	}
	if groups&(gCrawl|gRun) != 0 {
		fs.BoolVar(&o.allowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses (SSRF guard off)")
		fs.Var(&o.allowPorts, "allow-port", "fetch only from these TCP `PORT`s, comma-separated (repeatable; default 80,443, which a list replaces; the ports the seeds name are always allowed)")
		fs.BoolVar(&o.ignoreRobots, "ignore-robots", false, "do not obey robots.txt")
		fs.Int64Var(&o.robotsCache, "robots-cache-bytes", crawler.DefaultRobotsCacheBytes, "memory budget, in `BYTES`, of the parsed robots.txt files kept (estimated; least recently used hosts forgotten first)")
		fs.DurationVar(&o.hostDelay, "host-delay", crawler.DefaultHostDelay, "minimum time between request starts to one host (0: none; a robots.txt Crawl-delay still applies)")
		fs.IntVar(&o.hostParallelism, "host-parallelism", crawler.DefaultHostParallelism, "maximum concurrent requests to one host")
		fs.Var(&o.hostRules, "host-rule", "politeness budget of one host and its subdomains, across the cluster: `HOST=delay:2s,parallelism:1` (repeatable)")
		fs.IntVar(&o.concurrency, "concurrency", pipeline.DefaultCrawlConcurrency, "fetches in flight per crawler process")
		fs.Uint64Var(&o.maxPages, "max-pages", 0, "stop crawling once the cluster has fetched `N` pages since this process started (0: no limit)")
		fs.Uint64Var(&o.maxArticles, "max-articles", 0, "stop crawling once the cluster has published `N` articles since this process started (0: no limit)")
		fs.DurationVar(&o.maxDuration, "max-duration", 0, "stop crawling after `D` (0: no limit)")
		fs.IntVar(&o.maxPagesBacklog, "max-pages-backlog", pipeline.DefaultMaxPagesBacklog, "hold crawling back while more than `N` fetched pages wait for the parsers (0: never)")
		fs.StringVar(&o.userAgent, "user-agent", crawler.DefaultUserAgent, "User-Agent header, also matched against robots.txt")
		fs.Var(&o.headers, "header", "send this request header to `[HOST=]Name: value` (HOST and its subdomains; without HOST, every host; repeatable)")
		fs.StringVar(&o.proxy, "proxy", "", "fetch through this HTTP(S) proxy: `URL` (http://[user:password@]host:port), or env for HTTP_PROXY, HTTPS_PROXY and NO_PROXY; the SSRF guard still checks every target")
		fs.StringVar(&o.archiveSpec, "archive", "", "keep every page fetched in rotating gzip WARC 1.1 files: `warc:DIR` (trawler reparse reads them)")
		fs.StringVar(&o.cookieFile, "cookie-file", "", "send the cookies of this Netscape cookies.txt `FILE` (as curl and browser extensions export them) with the requests they match")
		fs.DurationVar(&o.requestTimeout, "request-timeout", crawler.DefaultRequestTimeout, "deadline of one fetch, redirects included")
	}
	if groups&gSeed != 0 {
		fs.Var(&o.allowDomains, "allow-domain", "also crawl this registered `DOMAIN` (repeatable; default: the seeds' domains)")
		fs.BoolVar(&o.force, "force", false, "enqueue the seeds even if they were fetched before (a seed whose last attempt failed is always enqueued again)")
	}
	if groups&gDLQ != 0 {
		fs.StringVar(&o.stage, "stage", "", "only the dead letters of `STAGE`: crawl, parse or sink")
	}
	if groups&gReplay != 0 {
		fs.BoolVar(&o.all, "all", false, "replay every dead letter (of --stage, if given)")
	}
	if groups&(gSink|gRun) != 0 {
		fs.Var(&o.sinks, "sink", "where articles go: `SPEC` jsonl:PATH, jsonl:DIR/?rotate=100MB&gzip=1 or postgres://… (repeatable; default jsonl:<data>/articles.jsonl)")
		fs.StringVar(&o.sinkName, "sink-name", "", "`NAME` of the one --sink, as name=NAME in its spec would give it, for a spec kept in a secret: its consumer is sink_<kind>_NAME")
	}
	if groups&gExtract != 0 {
		fs.StringVar(&o.url, "url", "", "the page's address, for resolving links and scope (default: a file's path as a file: URL; none for stdin)")
		fs.StringVar(&o.contentType, "content-type", "", "Content-Type the page was served with (gives its charset)")
		fs.Int64Var(&o.maxBodySize, "max-body-size", parser.DefaultMaxPageBytes, maxBodySizeUsage)
	}
}

// parseFlags parses args, flags and positional arguments in any order
// (see parseInterleaved), and returns the positional ones. It then fills every flag not given on the command
// line from TRAWLER_<NAME> (upper case, dashes as underscores). Repeatable
// flags take a comma-separated list from the environment.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) ([]string, error) {
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		env := envName(f.Name)
		v := getenv(env)
		if v == "" {
			return
		}
		values := []string{v}
		if _, ok := f.Value.(*list); ok {
			values = strings.Split(v, ",")
		}
		for _, x := range values {
			if err := fs.Set(f.Name, strings.TrimSpace(x)); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", env, v, err))
			}
		}
	})
	return positional, errors.Join(errs...)
}

// envName is the environment variable of a flag.
func envName(flag string) string {
	return "TRAWLER_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// config is a command's flags, each read once into the value the command
// uses. options.config builds it, or reports every bad value at once,
// before the command starts anything.
type config struct {
	args []string // the positional arguments

	log         *slog.Logger // nil when the command has no log flags
	names       trawler.Names
	natsURL     string
	natsAuth    natsutil.ClientAuth
	metricsAddr string
	topology    natsutil.Topology

	// stages is the configuration of the pipeline stages, but for what
	// nodeConfig adds: the names, topology, stages to run, registry and
	// logger.
	stages pipeline.Config

	data         string // run
	listen       string // run
	serverAuth   string // run: none or nkey
	listenCert   string // run
	listenKey    string // run
	maxStore     int64  // run
	seeds        []string
	exitIdle     bool   // run
	strict       bool   // run
	statsJSON    string // run
	allowDomains []string
	force        bool // seed

	stage string // dlq
	all   bool   // dlq replay

	extract extractInput // extract, but for its stdin
}

// has reports whether the command took the flag name.
func (o *options) has(name string) bool {
	return o.flags != nil && o.flags.Lookup(name) != nil
}

// config reads the flags into the command's config, checking every value:
// the error holds every mistake found on the command line or in the
// environment. With an error, the config is good only for finding the
// command's other mistakes (its positional arguments), to report them all
// at once before anything starts. The logger, if any, writes to logTo.
func (o *options) config(logTo io.Writer) (*config, error) {
	var errs []error
	errs = append(errs, o.checkBounds()...)
	var log *slog.Logger
	if o.has("log-level") {
		var err error
		if log, err = newLogger(logTo, o.logFormat, o.logLevel); err != nil {
			errs = append(errs, err)
		}
	}
	names := trawler.Names{NS: o.namespace}
	if o.has("namespace") {
		if err := names.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("--namespace: %w", err))
		}
	}
	hostRules, err := o.hostRulesConfig()
	if err != nil {
		errs = append(errs, err)
	}
	headers, cookies, err := o.sessionConfig()
	if err != nil {
		errs = append(errs, err)
	}
	window, err := o.windowConfig()
	if err != nil {
		errs = append(errs, err)
	}
	if o.proxy != "" && o.proxy != crawler.ProxyFromEnvironment {
		if _, err := crawler.ParseProxy(o.proxy); err != nil {
			errs = append(errs, fmt.Errorf("--proxy: %w", err))
		}
	}
	archiveDir, ok := strings.CutPrefix(o.archiveSpec, "warc:")
	if o.archiveSpec != "" && (!ok || archiveDir == "") {
		errs = append(errs, fmt.Errorf("--archive %q: want warc:DIR", o.archiveSpec))
	}
	rules, err := frontier.CompileRules(o.include, o.exclude)
	if err != nil {
		errs = append(errs, fmt.Errorf("--include/--exclude: %w", err))
	}
	siteGroups, err := pipeline.ParseSiteGroups(o.siteGroups)
	if err != nil {
		errs = append(errs, fmt.Errorf("--site-group: %w", err))
	}
	for _, a := range []struct{ flag, addr string }{{"metrics-addr", o.metricsAddr}, {"listen", o.listen}} {
		if a.addr == "" || !o.has(a.flag) {
			continue
		}
		if _, _, err := net.SplitHostPort(a.addr); err != nil {
			errs = append(errs, fmt.Errorf("--%s %q: want HOST:PORT", a.flag, a.addr))
		}
	}
	natsAuth, err := o.natsAuthConfig()
	if err != nil {
		errs = append(errs, err)
	}
	if err := o.checkServerAuth(); err != nil {
		errs = append(errs, err)
	}
	if o.has("sink") && !o.has("data") && len(o.sinks) == 0 {
		// Only run has a default sink, in its --data directory.
		errs = append(errs, errors.New("sink: give at least one --sink SPEC"))
	}
	switch o.stage {
	case "", trawler.StageCrawl, trawler.StageParse, trawler.StageSink:
	default:
		errs = append(errs, fmt.Errorf("--stage %q: want crawl, parse or sink", o.stage))
	}

	args := o.args
	sinks := o.sinks
	if len(sinks) == 0 && o.has("data") {
		sinks = list{"jsonl:" + filepath.Join(o.data, "articles.jsonl")}
	}
	if o.sinkName != "" {
		if len(sinks) != 1 {
			errs = append(errs, fmt.Errorf("--sink-name %s: names one --sink, not %d (give each its name=NAME)", o.sinkName, len(sinks)))
		} else {
			named, err := sink.WithName(sinks[0], o.sinkName)
			if err != nil {
				errs = append(errs, fmt.Errorf("--sink-name: %w", err))
			}
			sinks = list{named}
		}
	}
	return &config{
		args:        args,
		log:         log,
		names:       names,
		natsURL:     o.natsURL,
		natsAuth:    natsAuth,
		metricsAddr: o.metricsAddr,
		topology:    natsutil.Topology{Replicas: o.replicas, AckWait: o.ackWait, Partitions: o.partitions, LeaseTTL: o.leaseTTL, SeenTTL: o.seenTTL},
		stages: pipeline.Config{
			Sinks:            sinks,
			CrawlConcurrency: o.concurrency,
			ParseConcurrency: o.parsers,
			MaxDepth:         o.maxDepth,
			MaxDeliver:       uint64(o.maxDeliver),
			MaxPagesBacklog:  pagesBacklog(o.maxPagesBacklog),
			Limits:           pipeline.Limits{MaxPages: o.maxPages, MaxArticles: o.maxArticles, MaxDuration: o.maxDuration},
			Fetcher: crawler.Config{
				HostRules:        hostRules,
				Headers:          headers,
				Proxy:            o.proxy,
				Cookies:          cookies,
				UserAgent:        o.userAgent,
				RequestTimeout:   o.requestTimeout,
				MaxBodySize:      o.maxBodySize,
				HostDelay:        o.hostDelay,
				HostParallelism:  o.hostParallelism,
				AllowPrivate:     o.allowPrivate,
				AllowPorts:       o.allowPorts,
				IgnoreRobots:     o.ignoreRobots,
				RobotsCacheBytes: o.robotsCache,
			},
			Revisit:        frontier.RevisitConfig{Min: o.revisitMin, Max: o.revisitMax},
			NoRevisit:      o.noRevisit,
			Rules:          rules,
			HostPageBudget: o.hostPageBudget,
			MaxQueued:      o.maxQueued,
			Window:         window,
			ArchiveDir:     archiveDir,
			SiteGroups:     siteGroups,
		},
		data:         o.data,
		listen:       o.listen,
		serverAuth:   o.natsAuth,
		listenCert:   o.listenCert,
		listenKey:    o.listenKey,
		maxStore:     o.maxStore,
		seeds:        o.seeds,
		exitIdle:     o.exitIdle,
		strict:       o.strict,
		statsJSON:    o.statsJSON,
		allowDomains: o.allowDomains,
		force:        o.force,
		stage:        o.stage,
		all:          o.all,
		extract:      extractInput{pageURL: o.url, contentType: o.contentType, maxBytes: o.maxBodySize},
	}, errors.Join(errs...)
}

// natsAuthConfig reads the NATS client credential flags, reading
// --nats-password-file, and checks them and their files.
func (o *options) natsAuthConfig() (natsutil.ClientAuth, error) {
	if !o.has("nats-creds") {
		return natsutil.ClientAuth{}, nil
	}
	a := natsutil.ClientAuth{
		CredsFile: o.natsCreds,
		NkeyFile:  o.natsNkey,
		User:      o.natsUser,
		Password:  o.natsPassword,
		TLSCA:     o.natsTLSCA,
		TLSCert:   o.natsTLSCert,
		TLSKey:    o.natsTLSKey,
	}
	if o.natsPassFile != "" {
		if o.natsPassword != "" {
			return a, errors.New("--nats-password-file: give the password once, in a file or not")
		}
		b, err := os.ReadFile(o.natsPassFile)
		if err != nil {
			return a, fmt.Errorf("--nats-password-file: %w", err)
		}
		a.Password = strings.TrimRight(string(b), "\r\n")
	}
	if err := a.Validate(); err != nil {
		return a, fmt.Errorf("--nats-*: %w", err)
	}
	return a, nil
}

// checkServerAuth checks run's --nats-auth, --listen and --listen-tls-*
// flags: a listener beyond loopback needs authentication.
func (o *options) checkServerAuth() error {
	if !o.has("nats-auth") {
		return nil
	}
	var errs []error
	switch o.natsAuth {
	case "none", "nkey":
	default:
		errs = append(errs, fmt.Errorf("--nats-auth %q: want none or nkey", o.natsAuth))
	}
	if host, _, err := net.SplitHostPort(o.listen); err == nil && o.natsAuth == "none" && !natsutil.IsLoopback(host) {
		errs = append(errs, fmt.Errorf("--listen %q with --nats-auth none: %w; give --nats-auth nkey, or listen on 127.0.0.1", o.listen, natsutil.ErrInsecureListen))
	}
	if (o.listenCert == "") != (o.listenKey == "") {
		errs = append(errs, errors.New("--listen-tls-cert and --listen-tls-key go together"))
	} else if o.listenCert != "" && o.listen == "" {
		errs = append(errs, errors.New("--listen-tls-cert: TLS is for --listen, which is not given"))
	} else if o.listenCert != "" {
		if _, err := tls.LoadX509KeyPair(o.listenCert, o.listenKey); err != nil {
			errs = append(errs, fmt.Errorf("--listen-tls-cert/--listen-tls-key: %w", err))
		}
	}
	return errors.Join(errs...)
}

// checkBounds refuses the numeric flags registered (see register) whose
// value means nothing: zero workers, a zero timeout, a negative delay…
func (o *options) checkBounds() []error {
	const (
		notNegative = "must not be negative"
		atLeastOne  = "must be at least 1"
		positive    = "must be positive"
		// A worker reports progress every third of the ack wait, and a
		// lease is renewed every fifth of its TTL: under a second, those
		// are a busy loop.
		atLeastASecond = "must be at least 1s"
	)
	checks := []struct {
		flag string
		ok   bool
		want string
	}{
		{"host-delay", o.hostDelay >= 0, notNegative},
		{"host-parallelism", o.hostParallelism >= 1, atLeastOne},
		{"concurrency", o.concurrency >= 1, atLeastOne},
		{"request-timeout", o.requestTimeout > 0, positive},
		{"max-body-size", o.maxBodySize >= 1, atLeastOne},
		{"robots-cache-bytes", o.robotsCache >= 1, atLeastOne},
		{"parsers", o.parsers >= 1, atLeastOne},
		{"max-depth", o.maxDepth >= 0, notNegative},
		{"max-pages-per-host", o.hostPageBudget >= 0, notNegative},
		{"max-deliver", o.maxDeliver >= 1, atLeastOne},
		{"max-pages-backlog", o.maxPagesBacklog >= 0, notNegative},
		{"max-duration", o.maxDuration >= 0, notNegative},
		{"nats-max-store", o.maxStore >= 1<<20, "must be at least 1048576 (1 MiB)"},
		{"seen-ttl", o.seenTTL == 0 || o.seenTTL >= time.Minute, "must be 0 (never) or at least 1m"},
		{"replicas", o.replicas >= 1, atLeastOne},
		{"partitions", o.partitions >= 1 && o.partitions <= natsutil.MaxPartitions,
			fmt.Sprintf("must be between 1 and %d", natsutil.MaxPartitions)},
		{"lease-ttl", o.leaseTTL >= time.Second, atLeastASecond},
		{"ack-wait", o.ackWait >= time.Second, atLeastASecond},
		{"revisit-min", o.revisitMin > 0, positive},
		{"revisit-max", o.revisitMax >= o.revisitMin, fmt.Sprintf("must be at least --revisit-min (%v)", o.revisitMin)},
	}
	var errs []error
	for _, c := range checks {
		if !c.ok && o.has(c.flag) {
			errs = append(errs, fmt.Errorf("--%s %s: %s", c.flag, o.flags.Lookup(c.flag).Value, c.want))
		}
	}
	return errs
}

// newLogger is the logger --log-format and --log-level describe.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var errs []error
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", level))
	}
	hopts := &slog.HandlerOptions{Level: l, ReplaceAttr: redactAttr}
	var h slog.Handler
	switch format {
	case "text", "":
		h = slog.NewTextHandler(w, hopts)
	case "json":
		h = slog.NewJSONHandler(w, hopts)
	default:
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", format))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return slog.New(h), nil
}

// redactAttr hides the secrets a log attribute may hold (a NATS URL, a
// DSN, an error quoting one): every log line goes through it.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	switch v := a.Value.Resolve(); v.Kind() {
	case slog.KindString:
		if r := redact.String(v.String()); r != v.String() {
			a.Value = slog.StringValue(r)
		}
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			a.Value = slog.StringValue(redact.String(err.Error()))
		}
	}
	return a
}

// hostRulesConfig parses the --host-rule flags; a part a rule leaves out is
// --host-delay's or --host-parallelism's.
func (o *options) hostRulesConfig() (map[string]crawler.HostRule, error) {
	if len(o.hostRules) == 0 {
		return nil, nil
	}
	rules := make(map[string]crawler.HostRule, len(o.hostRules))
	for _, v := range o.hostRules {
		host, r, err := crawler.ParseHostRule(v, crawler.HostRule{Delay: o.hostDelay, Parallelism: o.hostParallelism})
		if err != nil {
			return nil, fmt.Errorf("--host-rule: %w", err)
		}
		rules[host] = r
	}
	return rules, nil
}

// windowConfig parses --since and --until.
func (o *options) windowConfig() (pipeline.Window, error) {
	var w pipeline.Window
	var errs []error
	for _, b := range []struct {
		flag, v string
		to      *time.Time
		upper   bool
	}{{"since", o.since, &w.Since, false}, {"until", o.until, &w.Until, true}} {
		if b.v == "" {
			continue
		}
		t, err := pipeline.ParseWindowBound(b.v, b.upper)
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s %w", b.flag, err))
			continue
		}
		*b.to = t
	}
	if !w.Since.IsZero() && !w.Until.IsZero() && w.Until.Before(w.Since) {
		errs = append(errs, fmt.Errorf("--until %s: before --since %s", o.until, o.since))
	}
	return w, errors.Join(errs...)
}

// sessionConfig parses the --header flags and reads --cookie-file.
func (o *options) sessionConfig() ([]crawler.HostHeader, http.CookieJar, error) {
	var errs []error
	var headers []crawler.HostHeader
	for _, v := range o.headers {
		h, err := crawler.ParseHeader(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("--header: %w", err))
			continue
		}
		headers = append(headers, h)
	}
	var jar http.CookieJar
	if o.cookieFile != "" {
		f, err := os.Open(o.cookieFile)
		if err == nil {
			jar, _, err = crawler.LoadCookies(f, time.Now())
			f.Close()
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--cookie-file %s: %w", o.cookieFile, err))
		}
	}
	return headers, jar, errors.Join(errs...)
}

// nodeConfig is the pipeline configuration the flags describe, running the
// crawl and parse stages as asked and every sink given.
func (c *config) nodeConfig(crawl, parse bool, reg prometheus.Registerer, log *slog.Logger) pipeline.Config {
	n := c.stages
	n.Names = c.names
	n.Topology = c.topology
	n.Crawl = crawl
	n.Parse = parse
	n.Registry = reg
	n.Log = log
	return n
}

// client is what a command working against an external NATS needs.
type client struct {
	names trawler.Names
	log   *slog.Logger
	nc    *nats.Conn
	js    jetstream.JetStream
}

// dial connects to --nats under the given client name, as role (its
// replies on the role's inboxes). The caller closes c.nc.
func (c *config) dial(name string, role natsutil.Role) (*client, error) {
	auth := c.natsAuth
	auth.Role = role
	nc, err := natsutil.Connect(c.natsURL, auth, c.log, name)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return &client{names: c.names, log: c.log, nc: nc, js: js}, nil
}

// pagesBacklog maps --max-pages-backlog to pipeline.Config, where zero
// means the default and a negative value never.
func pagesBacklog(flag int) int {
	if flag == 0 {
		return -1
	}
	return flag
}

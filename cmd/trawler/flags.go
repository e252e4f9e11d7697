package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
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
)

// options holds every flag; each subcommand registers the ones it uses.
type options struct {
	data         string
	listen       string
	natsURL      string
	namespace    string
	seeds        list
	sinks        list
	allowDomains list
	maxDepth     int
	exitIdle     bool

	allowPrivate    bool
	ignoreRobots    bool
	hostDelay       time.Duration
	hostParallelism int
	concurrency     int
	parsers         int
	userAgent       string
	requestTimeout  time.Duration
	maxBodySize     int64
	maxDeliver      uint
	replicas        int
	partitions      int
	leaseTTL        time.Duration
	hostRules       ruleList
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

	url string // extract

	stage string // dlq
	all   bool   // dlq replay

	flags *flag.FlagSet // where register put the flags: validate checks those
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

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

type flagGroup int

const (
	gCommon flagGroup = 1 << iota
	gNATS             // --nats, --namespace
	gCrawl            // fetcher flags
	gParse            // scope and depth flags used by parsers
	gSink
	gRun // embedded server flags
	gDLQ // dead-letter commands
)

// maxBodySizeUsage documents --max-body-size, the one page size limit of
// the crawl and parse stages and of extract.
const maxBodySizeUsage = "pages larger than `BYTES` are refused whole, never truncated: not fetched, not parsed"

// register adds the flags of groups to fs. A flag's default is the real
// default: the config a flag feeds takes its zero value literally where zero
// means something (no delay, no limit), and validate refuses a zero that
// means nothing.
func (o *options) register(fs *flag.FlagSet, groups flagGroup) {
	o.flags = fs
	if groups&gCommon != 0 {
		fs.StringVar(&o.metricsAddr, "metrics-addr", "127.0.0.1:0", "serve /metrics, /healthz and /readyz on `HOST:PORT` (port 0 picks a free port and logs it; empty disables)")
		fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
		fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	}
	if groups&gNATS != 0 {
		fs.StringVar(&o.natsURL, "nats", "nats://127.0.0.1:4222", "NATS server `URL`s, comma-separated")
	}
	if groups&(gNATS|gRun) != 0 {
		fs.StringVar(&o.namespace, "namespace", trawler.DefaultNamespace, "prefix of every subject, stream and bucket, so pipelines can share a NATS server")
		fs.UintVar(&o.maxDeliver, "max-deliver", 5, "deliveries of a failing message before it is dead-lettered")
		fs.IntVar(&o.replicas, "replicas", 1, "replicas of the streams and buckets, when this process is the one creating them")
		fs.IntVar(&o.partitions, "partitions", natsutil.DefaultPartitions, "frontier partitions (the most crawlers that can work at once), when this process creates the frontier")
		fs.DurationVar(&o.leaseTTL, "lease-ttl", natsutil.DefaultLeaseTTL, "life of an unrenewed frontier partition lease, when this process creates the lease bucket")
		fs.DurationVar(&o.ackWait, "ack-wait", 60*time.Second, "redelivery timeout of a message taken by a worker that died; set the same on every worker")
	}
	if groups&gRun != 0 {
		fs.StringVar(&o.data, "data", "./trawler-data", "`DIR` for the embedded server's state and the default sink; a run resumes from it")
		fs.StringVar(&o.listen, "listen", "", "also expose the embedded NATS server on `HOST:PORT` so remote workers can join")
		fs.Var(&o.seeds, "seed", "seed `URL` (repeatable)")
		fs.BoolVar(&o.exitIdle, "exit-when-idle", false, "exit once nothing is queued, in flight or unwritten")
	}
	if groups&(gCrawl|gParse|gRun) != 0 {
		fs.DurationVar(&o.revisitMin, "revisit-min", 5*time.Minute, "shortest interval between visits of a feed, sitemap or hub (halved while it shows new links)")
		fs.DurationVar(&o.revisitMax, "revisit-max", 6*time.Hour, "longest interval between visits of a feed, sitemap or hub (doubled while it shows none)")
		fs.BoolVar(&o.noRevisit, "no-revisit", false, "fetch feeds, sitemaps and hubs once, like articles")
		fs.Int64Var(&o.maxBodySize, "max-body-size", crawler.DefaultMaxBodySize, maxBodySizeUsage)
	}
	if groups&(gParse|gRun) != 0 {
		fs.Var(&o.include, "include", "follow only links whose URL matches one of these `REGEXP`s (repeatable; feeds and sitemaps too)")
		fs.Var(&o.exclude, "exclude", "never follow links whose URL matches `REGEXP` (repeatable)")
		fs.IntVar(&o.hostPageBudget, "max-pages-per-host", 0, "enqueue at most `N` URLs per host, across the cluster (0: no limit)")
		fs.IntVar(&o.maxDepth, "max-depth", 16, "links deeper than `N` are not followed (seeds are depth 0)")
		fs.Var(&o.allowDomains, "allow-domain", "crawl this registered `DOMAIN` and its subdomains (repeatable; default: the seeds' domains)")
		fs.IntVar(&o.parsers, "parsers", runtime.GOMAXPROCS(0), "pages parsed at once (default: the CPUs available)")
		fs.Var(&o.siteGroups, "site-group", "`DOMAIN=GROUP`: count the extracted fields of articles from DOMAIN and its subdomains (trawler_parse_fields_total) under site group GROUP (repeatable; the longest matching DOMAIN wins; other sites are \"other\")")
	}
	if groups&(gCrawl|gRun) != 0 {
		fs.BoolVar(&o.allowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses (SSRF guard off)")
		fs.BoolVar(&o.ignoreRobots, "ignore-robots", false, "do not obey robots.txt")
		fs.DurationVar(&o.hostDelay, "host-delay", crawler.DefaultHostDelay, "minimum time between request starts to one host (0: none; a robots.txt Crawl-delay still applies)")
		fs.IntVar(&o.hostParallelism, "host-parallelism", crawler.DefaultHostParallelism, "maximum concurrent requests to one host")
		fs.Var(&o.hostRules, "host-rule", "politeness budget of one host and its subdomains, across the cluster: `HOST=delay:2s,parallelism:1` (repeatable)")
		fs.IntVar(&o.concurrency, "concurrency", 16, "fetches in flight per crawler process")
		fs.StringVar(&o.userAgent, "user-agent", "trawler/"+trawler.Version, "User-Agent header, also matched against robots.txt")
		fs.DurationVar(&o.requestTimeout, "request-timeout", crawler.DefaultRequestTimeout, "deadline of one fetch, redirects included")
	}
	if groups&gDLQ != 0 {
		fs.StringVar(&o.stage, "stage", "", "only the dead letters of `STAGE`: crawl, parse or sink")
	}
	if groups&(gSink|gRun) != 0 {
		fs.Var(&o.sinks, "sink", "where articles go: `SPEC` jsonl:PATH, jsonl:DIR/?rotate=100MB&gzip=1 or postgres://… (repeatable; default jsonl:<data>/articles.jsonl)")
	}
}

// parseFlags parses args, then fills every flag not given on the command
// line from TRAWLER_<NAME> (upper case, dashes as underscores). Repeatable
// flags take a comma-separated list from the environment.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		env := "TRAWLER_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
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
	return errors.Join(errs...)
}

func (o *options) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	hopts := &slog.HandlerOptions{Level: level}
	switch o.logFormat {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, hopts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, hopts)), nil
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", o.logFormat)
	}
}

// topology is the stream and consumer settings the flags describe.
func (o *options) topology() natsutil.Topology {
	return natsutil.Topology{Replicas: o.replicas, AckWait: o.ackWait, Partitions: o.partitions, LeaseTTL: o.leaseTTL}
}

// rules compiles --include and --exclude (validated when the command
// starts, see validate).
func (o *options) rules() frontier.Rules {
	r, _ := frontier.CompileRules(o.include, o.exclude)
	return r
}

// validate checks the flag values that are parsed after flag parsing.
func (o *options) validate() error {
	if _, err := o.hostRulesConfig(); err != nil {
		return err
	}
	if _, err := frontier.CompileRules(o.include, o.exclude); err != nil {
		return fmt.Errorf("--include/--exclude: %w", err)
	}
	if err := o.checkBounds(); err != nil {
		return err
	}
	if _, err := pipeline.ParseSiteGroups(o.siteGroups); err != nil {
		return fmt.Errorf("--site-group: %w", err)
	}
	return nil
}

// checkBounds refuses the numeric flags registered (see register) whose
// value means nothing: zero workers, a zero timeout, a negative delay…
func (o *options) checkBounds() error {
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
		{"parsers", o.parsers >= 1, atLeastOne},
		{"max-depth", o.maxDepth >= 0, notNegative},
		{"max-pages-per-host", o.hostPageBudget >= 0, notNegative},
		{"max-deliver", o.maxDeliver >= 1, atLeastOne},
		{"replicas", o.replicas >= 1, atLeastOne},
		{"partitions", o.partitions >= 1 && o.partitions <= natsutil.MaxPartitions,
			fmt.Sprintf("must be between 1 and %d", natsutil.MaxPartitions)},
		{"lease-ttl", o.leaseTTL >= time.Second, atLeastASecond},
		{"ack-wait", o.ackWait >= time.Second, atLeastASecond},
		{"revisit-min", o.revisitMin > 0, positive},
		{"revisit-max", o.revisitMax >= o.revisitMin, "must be at least --revisit-min"},
	}
	for _, c := range checks {
		if !c.ok && o.flags != nil && o.flags.Lookup(c.flag) != nil {
			return fmt.Errorf("--%s %s", c.flag, c.want)
		}
	}
	return nil
}

// siteGroupsConfig parses --site-group (validated when the command starts,
// see validate).
func (o *options) siteGroupsConfig() pipeline.SiteGroups {
	g, _ := pipeline.ParseSiteGroups(o.siteGroups)
	return g
}

// hostRulesConfig parses the --host-rule flags.
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

func (o *options) fetcherConfig() crawler.Config {
	rules, _ := o.hostRulesConfig() // validated when the command starts
	return crawler.Config{
		HostRules:       rules,
		UserAgent:       o.userAgent,
		RequestTimeout:  o.requestTimeout,
		MaxBodySize:     o.maxBodySize,
		HostDelay:       o.hostDelay,
		HostParallelism: o.hostParallelism,
		AllowPrivate:    o.allowPrivate,
		IgnoreRobots:    o.ignoreRobots,
	}
}

// nodeConfig is the pipeline configuration the flags describe, running the
// crawl and parse stages as asked and every sink given.
func (o *options) nodeConfig(names trawler.Names, crawl, parse bool, reg prometheus.Registerer, log *slog.Logger) pipeline.Config {
	return pipeline.Config{
		Names:            names,
		Crawl:            crawl,
		Parse:            parse,
		Sinks:            o.sinks,
		CrawlConcurrency: o.concurrency,
		ParseConcurrency: o.parsers,
		MaxDepth:         o.maxDepth,
		MaxDeliver:       uint64(o.maxDeliver),
		Topology:         o.topology(),
		Fetcher:          o.fetcherConfig(),
		Revisit:          frontier.RevisitConfig{Min: o.revisitMin, Max: o.revisitMax},
		NoRevisit:        o.noRevisit,
		Rules:            o.rules(),
		HostPageBudget:   o.hostPageBudget,
		SiteGroups:       o.siteGroupsConfig(),
		Registry:         reg,
		Log:              log,
	}
}

// client is what a command working against an external NATS needs.
type client struct {
	names trawler.Names
	log   *slog.Logger
	nc    *nats.Conn
	js    jetstream.JetStream
}

// dial validates the namespace and the log flags, then connects to --nats
// under the given client name. The caller closes c.nc.
func (o *options) dial(name string, stderr io.Writer) (*client, error) {
	names := trawler.Names{NS: o.namespace}
	if err := names.Validate(); err != nil {
		return nil, usageError{err}
	}
	log, err := o.logger(stderr)
	if err != nil {
		return nil, usageError{err}
	}
	nc, err := natsutil.Connect(o.natsURL, log, name)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return &client{names: names, log: log, nc: nc, js: js}, nil
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
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

	metricsAddr string
	logFormat   string
	logLevel    string

	url string // extract
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
)

func (o *options) register(fs *flag.FlagSet, groups flagGroup) {
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
	}
	if groups&gRun != 0 {
		fs.StringVar(&o.data, "data", "./trawler-data", "`DIR` for the embedded server's state and the default sink; a run resumes from it")
		fs.StringVar(&o.listen, "listen", "", "also expose the embedded NATS server on `HOST:PORT` so remote workers can join")
		fs.Var(&o.seeds, "seed", "seed `URL` (repeatable)")
		fs.BoolVar(&o.exitIdle, "exit-when-idle", false, "exit once nothing is queued, in flight or unwritten")
	}
	if groups&(gParse|gRun) != 0 {
		fs.IntVar(&o.maxDepth, "max-depth", 3, "links deeper than `N` are not followed (seeds are depth 0)")
		fs.Var(&o.allowDomains, "allow-domain", "crawl this registered `DOMAIN` and its subdomains (repeatable; default: the seeds' domains)")
		fs.IntVar(&o.parsers, "parsers", 0, "pages parsed at once (default: number of CPUs)")
	}
	if groups&(gCrawl|gRun) != 0 {
		fs.BoolVar(&o.allowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses (SSRF guard off)")
		fs.BoolVar(&o.ignoreRobots, "ignore-robots", false, "do not obey robots.txt")
		fs.DurationVar(&o.hostDelay, "host-delay", crawler.DefaultHostDelay, "minimum time between request starts to one host")
		fs.IntVar(&o.hostParallelism, "host-parallelism", crawler.DefaultHostParallelism, "maximum concurrent requests to one host")
		fs.IntVar(&o.concurrency, "concurrency", 16, "fetches in flight per crawler process")
		fs.StringVar(&o.userAgent, "user-agent", "trawler/"+trawler.Version, "User-Agent header, also matched against robots.txt")
		fs.DurationVar(&o.requestTimeout, "request-timeout", crawler.DefaultRequestTimeout, "deadline of one fetch, redirects included")
		fs.Int64Var(&o.maxBodySize, "max-body-size", crawler.DefaultMaxBodySize, "pages larger than `BYTES` are refused, never truncated")
	}
	if groups&(gSink|gRun) != 0 {
		fs.Var(&o.sinks, "sink", "where articles go: `SPEC` jsonl:PATH (repeatable; default jsonl:<data>/articles.jsonl)")
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

func (o *options) fetcherConfig() crawler.Config {
	return crawler.Config{
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
		Topology:         natsutil.Topology{Replicas: o.replicas},
		Fetcher:          o.fetcherConfig(),
		Registry:         reg,
		Log:              log,
	}
}

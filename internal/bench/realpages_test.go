package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/markusmobius/go-trafilatura"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/crawler"
	"github.com/trawler/trawler/internal/realsite"
	"github.com/trawler/trawler/parser"
)

// The real-page benchmark's site: real article pages of
// ../shared/bench/extraction laid out by internal/realsite, on realHosts
// hosts (ports of 127.0.0.1, each its own politeness budget) of
// TRAWLER_BENCH_PAGES/realHosts articles each (related blocks link them).
const (
	realHosts     = 8
	realPages     = 2000 // articles in all, unless TRAWLER_BENCH_PAGES says otherwise
	realParallel  = 8    // per host, for trawler and colly alike
	childEnv      = "TRAWLER_BENCH_CHILD"
	childArgsEnv  = "TRAWLER_BENCH_ARGS"
	parseRepeats  = 2 // each saved page is parsed this many times by the parse-only children
	realHostDelay = time.Millisecond
	// minHostArticles is the fewest articles realsite lays out on a host.
	minHostArticles = 12
)

// TestMain runs the benchmark's child processes: each system is measured in
// a process of its own, so that its CPU time and peak RSS (from the
// kernel's rusage) are its own and not the site's or the other systems'.
func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		if err := runChild(mode, os.Getenv(childArgsEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// usage is what one child process cost.
type usage struct {
	wall   time.Duration
	cpu    time.Duration // user + system
	maxRSS float64       // MB
	out    string        // its stdout
	// machineBusy is the whole machine's cores busy over the run (every
	// process and the kernel: /proc/stat), and siteBusy this process's
	// share of it (the site's servers and the sampler): what the child
	// could not have had.
	machineBusy, siteBusy float64
	// steadyBusy is the median of the cores busy over half-second spans,
	// leaving out the first steadySkipStart and the last steadySkipEnd: the
	// crawl's own rate, without its ramp-up (seeds, then the frontier
	// filling) and its exit (the last fetches, the idle check, the drain).
	steadyBusy float64
}

// The ends left out of usage.steadyBusy, and the span it samples.
const (
	steadySpan      = 500 * time.Millisecond
	steadySkipStart = 2500 * time.Millisecond
	steadySkipEnd   = time.Second
)

// BenchmarkRealPages is the end-to-end benchmark of the performance issue:
// per iteration, `trawler run` (every stage in one process, embedded NATS,
// JSONL sink) crawls the real-page site to idle; a bare colly crawl of the
// same site follows; then the pages of one host, saved once, go through
// parser.Parse alone and through go-trafilatura with its fallback alone
// (one core each, as the eval quotes speed). It reports, as medians over
// the iterations, trawler's pages/s, CPU ms per page, cores busy (CPU ÷
// wall × cores, over the run and in its steady part: see usage), the
// machine's cores busy and the site's share of them during that run, peak
// RSS, the same for colly, the two extractors' CPU
// ms per page, and the ratios the issue sets targets on.
func BenchmarkRealPages(b *testing.B) {
	dir := realsite.DefaultDir()
	if _, err := os.Stat(filepath.Join(dir, "ground-truth.json")); err != nil {
		b.Skipf("the real pages are not beside the repository (%s): %v", dir, err)
	}
	total := realPages
	if v := os.Getenv("TRAWLER_BENCH_PAGES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < realHosts*minHostArticles {
			b.Fatalf("TRAWLER_BENCH_PAGES=%q: want a number of at least %d", v, realHosts*minHostArticles)
		}
		total = n
	}
	sites, seeds := realSites(b, dir, total)
	saved := savePages(b, seeds[0], sites[0])
	bin := buildTrawler(b)
	served := func() int { return servedPages(sites) }

	var trRate, trCPU, trBusy, trSteady, trMachine, trSite, trRSS, coRate, coCPU, coRSS, parseCPU, trafCPU []float64
	for i := 0; i < b.N; i++ {
		before := served()
		u := run(b, exec.Command(bin, runArgs(b, seeds)...))
		pages := served() - before
		if pages < total {
			b.Fatalf("trawler fetched %d pages, want at least the %d articles", pages, total)
		}
		trRate = append(trRate, float64(pages)/u.wall.Seconds())
		trCPU = append(trCPU, ms(u.cpu)/float64(pages))
		trBusy = append(trBusy, u.cpu.Seconds()/(u.wall.Seconds()*float64(runtime.NumCPU())))
		trSteady = append(trSteady, u.steadyBusy)
		trMachine = append(trMachine, u.machineBusy)
		trSite = append(trSite, u.siteBusy)
		trRSS = append(trRSS, u.maxRSS)

		before = served()
		u = child(b, "colly", seeds)
		pages = served() - before
		coRate = append(coRate, float64(pages)/u.wall.Seconds())
		coCPU = append(coCPU, ms(u.cpu)/float64(pages))
		coRSS = append(coRSS, u.maxRSS)

		u = child(b, "parse", []string{saved})
		parseCPU = append(parseCPU, ms(u.cpu)/float64(pagesIn(b, u)))
		u = child(b, "trafilatura", []string{saved})
		trafCPU = append(trafCPU, ms(u.cpu)/float64(pagesIn(b, u)))
	}
	b.ReportMetric(median(trRate), "trawler-pages/s")
	b.ReportMetric(median(trCPU), "trawler-cpu-ms/page")
	b.ReportMetric(median(trBusy), "trawler-cores-busy")
	b.ReportMetric(median(trSteady), "trawler-cores-busy-steady")
	b.ReportMetric(median(trMachine), "machine-cores-busy")
	b.ReportMetric(median(trSite), "site-cores-busy")
	b.ReportMetric(median(trRSS), "trawler-peak-rss-MB")
	b.ReportMetric(median(coRate), "colly-pages/s")
	b.ReportMetric(median(coCPU), "colly-cpu-ms/page")
	b.ReportMetric(median(coRSS), "colly-peak-rss-MB")
	b.ReportMetric(median(parseCPU), "parse-cpu-ms/page")
	b.ReportMetric(median(trafCPU), "trafilatura-cpu-ms/page")
	// The targets: whole pipeline ≤ 0.5× go-trafilatura's CPU per
	// page, and everything that is not parsing ≤ 20% of parse CPU.
	b.ReportMetric(median(trCPU)/median(trafCPU), "pipeline/trafilatura")
	b.ReportMetric((median(trCPU)-median(parseCPU))/median(parseCPU), "non-parse/parse")
	b.ReportMetric(median(trRate)/median(coRate), "trawler/colly")
}

// maxHostArticles is the most articles realsite lays out on one host from
// the extraction set's pages (each host's are distinct pages).
const maxHostArticles = 400

// realSites serves total articles of the real pages in dir: on realHosts
// hosts, or more when one host would need more pages than the set holds.
// Hosts share pages, as syndicated copies do.
func realSites(b *testing.B, dir string, total int) ([]*realsite.Site, []string) {
	hosts := max(realHosts, (total+maxHostArticles-1)/maxHostArticles)
	var sites []*realsite.Site
	var seeds []string
	for i := range hosts {
		s, err := realsite.Build(realsite.Options{Dir: dir, Articles: total / hosts, Seed: uint64(i + 1)})
		if err != nil {
			b.Skipf("cannot lay out %d articles a host from %s: %v", total/hosts, dir, err)
		}
		srv := s.Start(b)
		sites = append(sites, s)
		seeds = append(seeds, srv.URL+"/")
	}
	return sites, seeds
}

// servedPages counts the HTML pages the sites served: listings, articles
// and their aliases (robots.txt and the real pages' own relative links,
// which 404 on a mirror, are not pages).
func servedPages(sites []*realsite.Site) int {
	n := 0
	for _, s := range sites {
		for _, r := range s.Requests() {
			switch r.Route.Kind {
			case realsite.KindRoot, realsite.KindArticle, realsite.KindAlias:
				n += r.Count
			}
		}
	}
	return n
}

// runArgs is the trawler run command line of the real-page benchmarks.
func runArgs(b *testing.B, seeds []string) []string {
	args := []string{"run", "--data", b.TempDir(), "--allow-private", "--exit-when-idle", "--metrics-addr", "",
		"--host-delay", realHostDelay.String(), "--host-parallelism", strconv.Itoa(realParallel),
		"--no-revisit", "--log-level", "warn"}
	for _, s := range seeds {
		args = append(args, "--seed", s)
	}
	return args
}

// BenchmarkRunMemory is the memory target: trawler run's peak RSS
// from 1,000 to 20,000 pages (TRAWLER_BENCH_SIZES, comma-separated) of the
// real-page site, which should stay within 20% whatever the backlog: the
// frontier, seen keys and streams live in JetStream's files, and
// --max-pages-backlog bounds the unparsed pages. It reports each size's
// peak RSS and pages/s, and the largest size's RSS over the smallest's. It
// runs for 15 to 25 minutes (20,000 pages at 20 to 30 a second): make
// bench-memory.
// TRAWLER_BENCH_GOMEMLIMIT sets trawler's GOMEMLIMIT (not the site's).
func BenchmarkRunMemory(b *testing.B) {
	dir := realsite.DefaultDir()
	if _, err := os.Stat(filepath.Join(dir, "ground-truth.json")); err != nil {
		b.Skipf("the real pages are not beside the repository (%s): %v", dir, err)
	}
	sizes := []int{1000, 20000}
	if v := os.Getenv("TRAWLER_BENCH_SIZES"); v != "" {
		sizes = sizes[:0]
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < realHosts*minHostArticles {
				b.Fatalf("TRAWLER_BENCH_SIZES=%q: want numbers of at least %d", v, realHosts*minHostArticles)
			}
			sizes = append(sizes, n)
		}
	}
	// The soft memory limit is trawler's alone: the site's process holds
	// gigabytes of pages, and under the same limit its collector would run
	// without pause and take the cores from trawler.
	limit := os.Getenv("TRAWLER_BENCH_GOMEMLIMIT")
	bin := buildTrawler(b)
	rss := make([][]float64, len(sizes))
	for i := 0; i < b.N; i++ {
		for j, total := range sizes {
			sites, seeds := realSites(b, dir, total)
			cmd := exec.Command(bin, runArgs(b, seeds)...)
			if limit != "" {
				cmd.Env = append(os.Environ(), "GOMEMLIMIT="+limit)
			}
			u := run(b, cmd)
			pages := servedPages(sites)
			if pages < total {
				b.Fatalf("trawler fetched %d pages, want at least the %d articles", pages, total)
			}
			rss[j] = append(rss[j], u.maxRSS)
			if i == 0 {
				b.Logf("%d articles on %d hosts: %d pages, %.1f pages/s, peak RSS %.0f MB", total, len(sites), pages, float64(pages)/u.wall.Seconds(), u.maxRSS)
			}
		}
	}
	for j, total := range sizes {
		b.ReportMetric(median(rss[j]), fmt.Sprintf("rss-MB-%d", total))
	}
	b.ReportMetric(median(rss[len(sizes)-1])/median(rss[0]), "rss-largest/smallest")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// pagesIn reads the page count a parse-only child printed.
func pagesIn(b *testing.B, u usage) int {
	n, err := strconv.Atoi(strings.TrimSpace(u.out))
	if err != nil || n == 0 {
		b.Fatalf("child printed %q, want its page count", u.out)
	}
	return n
}

// savePages fetches every article page of the site at base once (its main
// URL, as trawler fetches it) into a folder, for the parse-only children.
func savePages(b *testing.B, base string, s *realsite.Site) string {
	dir := b.TempDir()
	for i, a := range s.Articles() {
		resp, err := http.Get(strings.TrimSuffix(base, "/") + a.Path)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d %v", a.Path, resp.StatusCode, err)
		}
		meta, _ := json.Marshal(savedPage{URL: strings.TrimSuffix(base, "/") + a.Path, ContentType: resp.Header.Get("Content-Type")})
		name := filepath.Join(dir, strconv.Itoa(i))
		if err := os.WriteFile(name+".html", body, 0o600); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name+".json", meta, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

type savedPage struct {
	URL, ContentType string
}

// buildTrawler builds the trawler binary as a user runs it.
func buildTrawler(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "trawler")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/trawler/trawler/cmd/trawler")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// child runs this test binary in the given child mode.
func child(b *testing.B, mode string, args []string) usage {
	js, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childArgsEnv+"="+string(js))
	if mode == "parse" || mode == "trafilatura" {
		cmd.Env = append(cmd.Env, "GOMAXPROCS=1") // one core, as the eval quotes speed
	}
	return run(b, cmd)
}

// run runs cmd to its end and returns what it cost: CPU time from the
// kernel's rusage, peak RSS from the process's own high-water mark. (The
// rusage's maxrss would not do: Go starts a child with vfork, so until exec
// the child shares this process's memory, and its maxrss starts at ours.)
func run(b *testing.B, cmd *exec.Cmd) usage {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	machine0, machineOK := machineTimes()
	self0 := cpuNow()
	if err := cmd.Start(); err != nil {
		b.Fatalf("%s: %v", cmd.Args[0], err)
	}
	var peak atomic.Int64 // kB
	type span struct {
		at   time.Duration // since start, at the span's end
		busy float64
	}
	var spans []span // written by the poller until polled is closed
	done := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		stat := fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		lastAt, lastCPU := start, time.Duration(0)
		for {
			if kb := highWater(status); kb > peak.Load() {
				peak.Store(kb)
			}
			if now := time.Now(); now.Sub(lastAt) >= steadySpan {
				if c, ok := cpuTime(stat); ok {
					spans = append(spans, span{at: now.Sub(start), busy: (c - lastCPU).Seconds() / (now.Sub(lastAt).Seconds() * float64(runtime.NumCPU()))})
					lastAt, lastCPU = now, c
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	<-polled
	machine1, _ := machineTimes()
	site := cpuNow() - self0
	if err != nil {
		b.Fatalf("%s: %v\n%s", cmd.Args[0], err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok || peak.Load() == 0 {
		b.Skip("no rusage or /proc on this platform")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	var steady []float64
	for _, sp := range spans {
		if sp.at > steadySkipStart && sp.at < wall-steadySkipEnd {
			steady = append(steady, sp.busy)
		}
	}
	u := usage{wall: wall, cpu: cpu, maxRSS: float64(peak.Load()) / 1024, out: stdout.String(), steadyBusy: median(steady)}
	u.siteBusy = site.Seconds() / (wall.Seconds() * float64(runtime.NumCPU()))
	if total := machine1.total - machine0.total; machineOK && total > 0 {
		u.machineBusy = 1 - float64(machine1.idle-machine0.idle)/float64(total)
	}
	return u
}

// cpuTimes are the machine's CPU times since boot, in clock ticks of all
// its cores: in all, and idle (idle and waiting for I/O).
type cpuTimes struct{ total, idle uint64 }

// machineTimes reads the first line of /proc/stat; false without it.
func machineTimes() (cpuTimes, bool) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTimes{}, false
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return cpuTimes{}, false
	}
	var t cpuTimes
	// user nice system idle iowait irq softirq steal; guest time is
	// already counted in user.
	for i, v := range f[1:min(len(f), 9)] {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return cpuTimes{}, false
		}
		t.total += n
		if i == 3 || i == 4 {
			t.idle += n
		}
	}
	return t, true
}

// cpuTime reads a process's user and system time from its /proc stat
// file; false once the process is gone.
func cpuTime(stat string) (time.Duration, bool) {
	raw, err := os.ReadFile(stat)
	if err != nil {
		return 0, false
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: utime and stime are the 14th and 15th of the line.
	_, rest, ok := strings.Cut(string(raw), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, true
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's times: 100 on
// every Linux platform Go supports.
const clockTicks = 100

// highWater reads VmHWM (peak resident set, kB) from a /proc status file;
// 0 once the process is gone.
func highWater(status string) int64 {
	raw, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(raw)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

// runChild is a child process's work: it prints what it counted.
func runChild(mode, rawArgs string) error {
	var args []string
	if err := json.Unmarshal([]byte(rawArgs), &args); err != nil {
		return fmt.Errorf("%s=%q: %w", childArgsEnv, rawArgs, err)
	}
	switch mode {
	case "colly":
		return collyCrawl(args)
	case "parse", "trafilatura":
		if len(args) != 1 {
			return errors.New("want one folder")
		}
		return extractAll(mode, args[0])
	}
	return fmt.Errorf("unknown child mode %q", mode)
}

// collyCrawl is a bare colly crawl of the seeds' hosts: fetch and follow
// links, with robots.txt and the same per-host budget as trawler, nothing
// else.
func collyCrawl(seeds []string) error {
	c := colly.NewCollector(
		colly.Async(true),
		colly.AllowedDomains("127.0.0.1"),
		colly.MaxBodySize(crawler.DefaultMaxBodySize),
	)
	c.IgnoreRobotsTxt = false
	for _, s := range seeds { // one budget per host, as trawler's
		u, err := url.Parse(s)
		if err != nil {
			return err
		}
		if err := c.Limit(&colly.LimitRule{DomainGlob: u.Host, Parallelism: realParallel, Delay: realHostDelay}); err != nil {
			return err
		}
	}
	var pages atomic.Int64
	c.OnResponse(func(r *colly.Response) {
		if strings.HasPrefix(r.Headers.Get("Content-Type"), "text/html") {
			pages.Add(1)
		}
	})
	c.OnHTML("a[href]", func(e *colly.HTMLElement) { _ = e.Request.Visit(e.Attr("href")) })
	for _, s := range seeds {
		if err := c.Visit(s); err != nil {
			return err
		}
	}
	c.Wait()
	fmt.Println(pages.Load())
	return nil
}

// extractAll runs one extractor over every saved page parseRepeats times
// and prints the number of pages extracted.
func extractAll(mode, dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("no pages in %s", dir)
	}
	type page struct {
		body []byte
		meta savedPage
	}
	var pages []page
	for _, name := range names {
		body, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		raw, err := os.ReadFile(strings.TrimSuffix(name, ".html") + ".json")
		if err != nil {
			return err
		}
		var m savedPage
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		pages = append(pages, page{body, m})
	}
	n := 0
	for range parseRepeats {
		for _, p := range pages {
			switch mode {
			case "parse":
				if _, _, err := parser.Parse(trawler.Page{URL: p.meta.URL, FinalURL: p.meta.URL, Status: 200,
					ContentType: p.meta.ContentType, Kind: trawler.KindHTML, Body: p.body, FetchedAt: time.Now()}); err != nil {
					return fmt.Errorf("%s: %w", p.meta.URL, err)
				}
			case "trafilatura":
				u, _ := url.Parse(p.meta.URL)
				_, _ = trafilatura.Extract(bytes.NewReader(p.body), trafilatura.Options{OriginalURL: u, EnableFallback: true})
			}
			n++
		}
	}
	fmt.Println(n)
	return nil
}

package frontier

import (
	"hash/fnv"
	"net/url"
	"strings"

	"github.com/trawler/trawler/internal/urlnorm"
)

// Partition returns the frontier partition of rawURL among n: a hash of its
// registered domain (so "www.example.com" and "news.example.com" share a
// partition, and so a crawler that owns a partition owns every request to
// those hosts). An unparsable URL goes to partition 0.
func Partition(rawURL string, n int) int {
	if n <= 1 {
		return 0
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return 0
	}
	return partitionOf(PartitionKey(u), n)
}

// PartitionKey is what a URL is partitioned by: its registered domain (or
// its host when it has none: an IP address, localhost), with the port when
// it is not the scheme's default. The politeness budget is per host and port
// (see crawler.Config.HostDelay), so every budget lives in one partition.
func PartitionKey(u *url.URL) string {
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	key := urlnorm.RegisteredDomain(host)
	if key == "" {
		key = host
	}
	if p := u.Port(); p != "" && !(p == "80" && u.Scheme == "http") && !(p == "443" && u.Scheme == "https") {
		key += ":" + p
	}
	return key
}

func partitionOf(key string, n int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

// SamePartition reports whether two URLs' hosts share a partition key, so
// that one crawler may follow a redirect from one to the other without
// stepping outside the budget it owns.
func SamePartition(a, b *url.URL) bool {
	return PartitionKey(a) == PartitionKey(b)
}

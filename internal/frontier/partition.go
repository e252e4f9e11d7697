package frontier

import (
	"hash/fnv"
	"net/url"

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

// PartitionKey is what a URL is partitioned by: its site (urlnorm.Site).
// The politeness budget is per host and port (see
// crawler.Config.HostDelay), so every budget lives in one partition.
func PartitionKey(u *url.URL) string { return urlnorm.Site(u) }

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

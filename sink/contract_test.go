package sink_test

import (
	"testing"
	"time"

	"github.com/trawler/trawler/sink"
	"github.com/trawler/trawler/sink/sinktest"
)

func TestJSONLContract(t *testing.T) {
	sinktest.Run(t, func(t *testing.T) sinktest.Target { return sinktest.JSONL(t, sink.JSONLOptions{}) })
}

func TestJSONLRotatedGzipContract(t *testing.T) {
	sinktest.Run(t, func(t *testing.T) sinktest.Target {
		return sinktest.JSONL(t, sink.JSONLOptions{RotateSize: 600, RotateAge: time.Hour, Gzip: true})
	})
}

func TestPostgresContract(t *testing.T) {
	sinktest.Run(t, sinktest.Postgres)
}

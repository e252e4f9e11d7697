package worker

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts what the loop does with messages, per stage.
type Metrics struct {
	messages *prometheus.CounterVec
	handle   *prometheus.HistogramVec
}

// NewMetrics registers the loop's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trawler_worker_messages_total",
			Help: "Messages settled by the worker loop, by stage and action (ack, nak, defer, dead_letter).",
		}, []string{"stage", "action"}),
		handle: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trawler_worker_handle_seconds",
			Help:    "Time to handle and settle one message (one batch for batch stages), by stage.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"stage"}),
	}
	reg.MustRegister(m.messages, m.handle)
	return m
}

// start creates a stage's series at zero, so that the first dead letter is
// an increase that rate() and alerts can see, not a new series.
func (m *Metrics) start(stage string) {
	if m == nil {
		return
	}
	for _, a := range []Action{Acked, Retried, Deferred, DeadLettered} {
		m.messages.WithLabelValues(stage, string(a))
	}
}

func (m *Metrics) settled(stage string, a Action) {
	if m != nil {
		m.messages.WithLabelValues(stage, string(a)).Inc()
	}
}

func (m *Metrics) duration(stage string, d time.Duration) {
	if m != nil {
		m.handle.WithLabelValues(stage).Observe(d.Seconds())
	}
}

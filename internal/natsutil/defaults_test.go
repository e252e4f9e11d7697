package natsutil

import "testing"

// A zero Topology takes the defaults the command's flags show.
func TestTopologyDefaults(t *testing.T) {
	got := Topology{}.withDefaults()
	want := Topology{Replicas: DefaultReplicas, AckWait: DefaultAckWait, Partitions: DefaultPartitions, LeaseTTL: DefaultLeaseTTL}
	if got.Replicas != want.Replicas || got.AckWait != want.AckWait || got.Partitions != want.Partitions || got.LeaseTTL != want.LeaseTTL {
		t.Errorf("Topology{} defaults to %+v, want %+v", got, want)
	}
}

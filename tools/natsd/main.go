// Command natsd is a JetStream server for the fault tests: one process that
// a test can kill, stop and restart on the same port and store, alone or as
// one node of a cluster. It runs until SIGTERM or SIGINT.
//
//	natsd -port 4222 -store DIR [-name N -cluster-port 6222 -routes nats-route://127.0.0.1:6223,…]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/trawler/trawler/internal/natsutil"
)

func main() {
	var (
		name        = flag.String("name", "natsd", "server name, unique in a cluster")
		port        = flag.Int("port", 4222, "client port on 127.0.0.1")
		store       = flag.String("store", "", "JetStream store directory (required)")
		clusterPort = flag.Int("cluster-port", 0, "cluster port on 127.0.0.1 (0: no cluster)")
		routes      = flag.String("routes", "", "comma-separated nats-route:// URLs of the other nodes")
	)
	flag.Parse()
	if err := run(*name, *port, *store, *clusterPort, *routes); err != nil {
		fmt.Fprintln(os.Stderr, "natsd:", err)
		os.Exit(1)
	}
}

func run(name string, port int, store string, clusterPort int, routes string) error {
	if store == "" {
		return fmt.Errorf("-store is required")
	}
	opts := &server.Options{
		ServerName: name,
		Host:       "127.0.0.1",
		Port:       port,
		JetStream:  true,
		StoreDir:   store,
		MaxPayload: natsutil.MaxPayload,
		NoSigs:     true,
	}
	if clusterPort != 0 {
		opts.Cluster = server.ClusterOpts{Name: "trawler-faults", Host: "127.0.0.1", Port: clusterPort}
		opts.Routes = server.RoutesFromStr(routes)
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return err
	}
	ns.ConfigureLogger()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return fmt.Errorf("not ready after 30s")
	}
	<-sigs
	ns.Shutdown()
	ns.WaitForShutdown()
	return nil
}

// Package deploy holds trawler's deployment files: the container image
// (Dockerfile), docker compose, Kubernetes (kustomize, KEDA), Prometheus
// rules and the Grafana dashboard. It has no Go API; its tests check the
// files against the code: metric names and labels, flag environment
// variables, stream and consumer names, and the manifests' invariants.
package deploy

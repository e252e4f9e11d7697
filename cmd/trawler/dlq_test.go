package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/natstest"
	"github.com/trawler/trawler/internal/natsutil"
	"github.com/trawler/trawler/internal/testkit"
	"github.com/trawler/trawler/internal/worker"
)

func runOut(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr testkit.LockedBuffer
	err := run(context.Background(), args, env(), strings.NewReader(""), &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

func TestDLQ(t *testing.T) {
	srv := natstest.Start(t)
	_, js := srv.Connect(t)
	ctx := context.Background()
	names := trawler.Names{NS: "dlqcli"}
	if err := natsutil.Setup(ctx, js, names, natsutil.Topology{}); err != nil {
		t.Fatal(err)
	}
	// What the worker loop dead-letters: a crawl request and an article.
	for _, l := range []struct{ stage, subject, stream, data string }{
		{trawler.StageCrawl, names.FrontierPartitionSubject(0), names.FrontierStream(), `{"url":"http://down.example/","depth":1}`},
		{trawler.StageSink, names.ArticlesSubject(), names.ArticlesStream(), `{"url":"http://x.example/a","title":"no page type"}`},
	} {
		m := nats.NewMsg(names.DeadLetterSubject(l.stage))
		m.Header.Set(worker.HeaderStage, l.stage)
		m.Header.Set(worker.HeaderError, "it failed: "+strings.Repeat("and failed again, ", 10))
		m.Header.Set(worker.HeaderDelivered, "5")
		m.Header.Set(worker.HeaderSubject, l.subject)
		m.Header.Set(worker.HeaderStream, l.stream)
		m.Header.Set(worker.HeaderSeq, "7")
		m.Header.Set("Trawler-Depth", "1")
		m.Data = []byte(l.data)
		if _, err := js.PublishMsg(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	common := []string{"--nats", srv.URL, "--namespace", names.NS}
	dlq := func(args ...string) (string, error) {
		// Flags come before IDs, as with the flag package everywhere.
		full := append([]string{"dlq", args[0]}, common...)
		return runOut(t, append(full, args[1:]...)...)
	}

	out, err := dlq("list")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, out)
	}
	for _, want := range []string{"http://down.example/", "http://x.example/a", "it failed: and failed again, and", "again,…", "2 dead letters"} {
		if !strings.Contains(out, want) {
			t.Errorf("list does not show %q:\n%s", want, out)
		}
	}
	if out, _ := dlq("list", "--stage", "sink"); strings.Contains(out, "down.example") || !strings.Contains(out, "1 dead letters") {
		t.Errorf("list --stage sink:\n%s", out)
	}
	out, err = dlq("show", "2")
	if err != nil || !strings.Contains(out, "Error:      it failed: and failed again, and failed again, and failed again, and failed again, and failed again, and failed again, and") || !strings.Contains(out, `"title":"no page type"`) ||
		!strings.Contains(out, "Origin:     "+names.ArticlesStream()+" #7") {
		t.Errorf("show 2: %v\n%s", err, out)
	}
	if out, err := dlq("show", "9"); err == nil {
		t.Errorf("show of a missing ID succeeded:\n%s", out)
	}

	if out, err := dlq("replay", "1"); err != nil || !strings.Contains(out, "1 dead letters replayed") {
		t.Fatalf("replay 1: %v\n%s", err, out)
	}
	st, err := js.Stream(ctx, names.FrontierStream())
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Fatalf("frontier holds %d messages after replay, want 1", info.State.Msgs)
	}
	m, err := st.GetMsg(ctx, info.State.LastSeq)
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Data) != `{"url":"http://down.example/","depth":1}` || m.Header.Get("Trawler-Depth") != "1" || m.Header.Get(worker.HeaderError) != "" {
		t.Errorf("replayed message: %s %v", m.Data, m.Header)
	}
	if out, _ := dlq("list"); !strings.Contains(out, "1 dead letters") {
		t.Errorf("replayed letter still listed:\n%s", out)
	}
	if out, err := dlq("replay", "--stage", "sink"); err != nil || !strings.Contains(out, "replayed 2 (http://x.example/a)") {
		t.Errorf("replay --stage sink: %v\n%s", err, out)
	}
	if out, _ := dlq("list"); !strings.Contains(out, "0 dead letters") {
		t.Errorf("after replaying everything:\n%s", out)
	}

	for _, args := range [][]string{{"dlq"}, {"dlq", "purge"}, {"dlq", "replay"}, {"dlq", "show"}, {"dlq", "show", "x"},
		{"dlq", "list", "3"}, {"dlq", "replay", "--all", "3"}, {"dlq", "list", "--stage", "fetch"}} {
		err := run(ctx, args, env(), strings.NewReader(""), io.Discard, io.Discard)
		if exitCode(err) != 2 {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

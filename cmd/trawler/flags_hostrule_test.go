package main

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/trawler/trawler/crawler"
)

func TestHostRuleFlags(t *testing.T) {
	var o options
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.register(fs, gCrawl)
	err := parseFlags(fs, []string{"--host-rule", "example.com=delay:2s,parallelism:1"},
		env("TRAWLER_HOST_RULE", "ignored.org=delay:9s"))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := o.hostRulesConfig()
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules["example.com"] != (crawler.HostRule{Delay: 2 * time.Second, Parallelism: 1}) {
		t.Errorf("rules = %+v", rules)
	}

	o = options{}
	fs = flag.NewFlagSet("crawl", flag.ContinueOnError)
	o.register(fs, gCrawl)
	if err := parseFlags(fs, nil, env("TRAWLER_HOST_RULE", "a.com=delay:2s,parallelism:3 b.org=delay:5s")); err != nil {
		t.Fatal(err)
	}
	rules, err = o.hostRulesConfig()
	if err != nil || len(rules) != 2 || rules["a.com"].Parallelism != 3 || rules["b.org"].Delay != 5*time.Second {
		t.Errorf("rules from the environment = %+v, %v", rules, err)
	}

	o = options{hostRules: ruleList{"a.com=speed:3"}}
	if _, err := o.hostRulesConfig(); err == nil {
		t.Error("a bad rule is accepted")
	}
}

package main

import (
	"io"
	"testing"
	"time"

	"github.com/trawler/trawler/crawler"
)

func TestHostRuleFlags(t *testing.T) {
	cfg, err := parseConfig("crawl", []string{"--host-rule", "example.com=delay:2s,parallelism:1"},
		env("TRAWLER_HOST_RULE", "ignored.org=delay:9s"), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	rules := cfg.stages.Fetcher.HostRules
	if len(rules) != 1 || rules["example.com"] != (crawler.HostRule{Delay: 2 * time.Second, Parallelism: 1}) {
		t.Errorf("rules = %+v", rules)
	}

	cfg, err = parseConfig("crawl", nil, env("TRAWLER_HOST_RULE", "a.com=delay:2s,parallelism:3 b.org=delay:5s"), io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	rules = cfg.stages.Fetcher.HostRules
	if len(rules) != 2 || rules["a.com"].Parallelism != 3 || rules["b.org"].Delay != 5*time.Second {
		t.Errorf("rules from the environment = %+v", rules)
	}

	o := options{hostRules: ruleList{"a.com=speed:3"}}
	if _, err := o.hostRulesConfig(); err == nil {
		t.Error("a bad rule is accepted")
	}
}

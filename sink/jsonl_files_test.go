package sink

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/trawler/trawler"
)

// A file named like the sink's but linking to another file is refused, and
// the other file is left exactly as it was: a link must not make the sink
// append to it, or cut the unterminated last line off it. The same holds
// for the aliases sidecar and the files of a rotating sink.
func TestJSONLRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	content := []byte("first line\nlast line without a newline")
	if err := os.WriteFile(victim, content, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tt := range []struct {
		name, spec, link string
		refused          bool // else the link is passed over: never read, never written
	}{
		{"file", "jsonl:" + filepath.Join(dir, "articles.jsonl"), filepath.Join(dir, "articles.jsonl"), true},
		{"rotated file", "jsonl:" + filepath.Join(dir, "rot") + "?rotate=1h", filepath.Join(dir, "rot", "articles-20260101-000000.jsonl"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.MkdirAll(filepath.Dir(tt.link), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(victim, tt.link); err != nil {
				t.Fatal(err)
			}
			s, err := Open(ctx, tt.spec, nil)
			if err == nil {
				err = s.Write(ctx, []trawler.Article{{URL: "http://x/1", PageType: trawler.PageArticle}})
				s.Close()
			}
			if refused := err != nil && strings.Contains(err.Error(), "symbolic link"); refused != tt.refused || !refused && err != nil {
				t.Errorf("Open with a link: %v, want refused=%v", err, tt.refused)
			}
			if got, _ := os.ReadFile(victim); !bytes.Equal(got, content) {
				t.Errorf("the linked file changed: %q", got)
			}
		})
	}

	// The aliases sidecar, opened at the first alias record.
	path := filepath.Join(dir, "with-aliases.jsonl")
	if err := os.Symlink(victim, AliasesPath(path, false)); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, "jsonl:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	alias := trawler.Article{URL: "http://x/amp/1", CanonicalURL: "http://x/1", Aliases: []string{"http://x/amp/1"}, PageType: trawler.PageAlias}
	if err := s.Write(ctx, []trawler.Article{alias}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("aliases through a link: %v, want a refusal", err)
	}
	if got, _ := os.ReadFile(victim); !bytes.Equal(got, content) {
		t.Errorf("the linked file changed: %q", got)
	}
}

// Files and directories are created 0640 and 0750 unless mode= says
// otherwise, whatever the umask lets through.
func TestJSONLFileMode(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	for _, tt := range []struct {
		query     string
		file, dir os.FileMode
	}{
		{"", 0o640, 0o750},
		{"?mode=0600", 0o600, 0o700},
	} {
		dir := filepath.Join(t.TempDir(), "new")
		path := filepath.Join(dir, "articles.jsonl")
		s, err := Open(ctx, "jsonl:"+path+tt.query, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, []trawler.Article{{URL: "http://x/1", PageType: trawler.PageArticle}}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		for p, want := range map[string]os.FileMode{path: tt.file, dir: tt.dir} {
			if st, err := os.Stat(p); err != nil || st.Mode().Perm() != want {
				t.Errorf("mode=%q: %s is %v, want %v (%v)", tt.query, p, st.Mode().Perm(), want, err)
			}
		}
	}
	for _, bad := range []string{"mode=644x", "mode=0400", "mode=01777", "mode=999"} {
		if _, err := ParseJSONLSpec("a.jsonl?" + bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// At open, a last line that lost only its newline in a crash is completed,
// not cut; a torn one is cut; nothing before it is touched.
func TestJSONLCompletesOrCutsTheLastLine(t *testing.T) {
	ctx := context.Background()
	whole := `{"url":"http://x/2","page_type":"article","content_hash":"` + ContentHash(&trawler.Article{}) + `"}`
	for _, tt := range []struct {
		name, tail string
		want       []string // URLs read back after one more write
	}{
		{"whole line without newline", whole, []string{"http://x/1", "http://x/2", "http://x/3"}},
		{"torn line", `{"url":"http://x/2","page_ty`, []string{"http://x/1", "http://x/3"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "articles.jsonl")
			first := `{"url":"http://x/1","page_type":"article","content_hash":"` + ContentHash(&trawler.Article{}) + `"}` + "\n"
			if err := os.WriteFile(path, []byte(first+tt.tail), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(ctx, "jsonl:"+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Write(ctx, []trawler.Article{{URL: "http://x/3", PageType: trawler.PageArticle}}); err != nil {
				t.Fatal(err)
			}
			s.Close()
			raw, _ := os.ReadFile(path)
			if !bytes.HasPrefix(raw, []byte(first)) {
				t.Errorf("the intact lines changed:\n%s", raw)
			}
			arts, err := ReadJSONL(path)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range arts {
				got = append(got, a.URL)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("read back %v, want %v\n%s", got, tt.want, raw)
			}
		})
	}
}

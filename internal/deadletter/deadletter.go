// Package deadletter reads a pipeline's dead-letter stream and re-drives
// its messages: the tooling behind `trawler dlq`.
//
// A dead letter is the original message (bytes and headers) with the
// headers the worker loop adds: stage, error, deliveries, and the subject,
// stream and sequence it came from. Replay publishes the original back to
// its subject and then deletes the dead letter.
package deadletter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/trawler/trawler"
	"github.com/trawler/trawler/internal/wire"
	"github.com/trawler/trawler/internal/worker"
)

// Letter is one dead letter.
type Letter struct {
	ID        uint64    // sequence in the dead-letter stream, stable until deleted
	Time      time.Time // when it was dead-lettered
	Stage     string
	Error     string
	Delivered int    // deliveries before it was given up
	Subject   string // the original subject, where Replay publishes it
	Stream    string // the original stream…
	StreamSeq uint64 // …and sequence
	Header    nats.Header
	Data      []byte
}

// ErrNotFound is returned by Get for an ID the stream does not hold (never
// used, replayed, or expired).
var ErrNotFound = errors.New("no such dead letter")

// deadLetterHeaders are the headers the worker loop adds; Replay drops them,
// the deferral counts too, so that a replayed message starts afresh.
var deadLetterHeaders = append([]string{
	worker.HeaderStage, worker.HeaderError, worker.HeaderDelivered,
	worker.HeaderSubject, worker.HeaderStream, worker.HeaderSeq,
}, worker.DeferralHeaders...)

func letter(m *jetstream.RawStreamMsg) Letter {
	h := m.Header
	l := Letter{
		ID: m.Sequence, Time: m.Time, Header: h, Data: m.Data,
		Stage:   h.Get(worker.HeaderStage),
		Error:   h.Get(worker.HeaderError),
		Subject: h.Get(worker.HeaderSubject),
		Stream:  h.Get(worker.HeaderStream),
	}
	l.Delivered, _ = strconv.Atoi(h.Get(worker.HeaderDelivered))
	l.StreamSeq, _ = strconv.ParseUint(h.Get(worker.HeaderSeq), 10, 64)
	return l
}

// What names what the letter was about, for listings: the URL of a page,
// crawl request or article, or "-".
func (l Letter) What() string {
	if u := l.Header.Get(wire.HeaderURL); u != "" {
		return u
	}
	var v struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(l.Data, &v) == nil && v.URL != "" {
		return v.URL
	}
	return "-"
}

// Each calls fn for every dead letter of stage ("" for all), oldest first,
// without holding them all in memory. fn's error stops the walk and is
// returned.
func Each(ctx context.Context, js jetstream.JetStream, names trawler.Names, stage string, fn func(Letter) error) error {
	st, err := js.Stream(ctx, names.DeadLetterStream())
	if err != nil {
		return fmt.Errorf("dead-letter stream %s: %w", names.DeadLetterStream(), err)
	}
	subject := names.DeadLetterSubject("*")
	if stage != "" {
		subject = names.DeadLetterSubject(stage)
	}
	for seq := uint64(1); ; {
		m, err := st.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read dead letter at %d: %w", seq, err)
		}
		if err := fn(letter(m)); err != nil {
			return err
		}
		seq = m.Sequence + 1
	}
}

// Get returns dead letter id.
func Get(ctx context.Context, js jetstream.JetStream, names trawler.Names, id uint64) (Letter, error) {
	st, err := js.Stream(ctx, names.DeadLetterStream())
	if err != nil {
		return Letter{}, fmt.Errorf("dead-letter stream %s: %w", names.DeadLetterStream(), err)
	}
	m, err := st.GetMsg(ctx, id)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return Letter{}, fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	if err != nil {
		return Letter{}, fmt.Errorf("dead letter %d: %w", id, err)
	}
	return letter(m), nil
}

// Replay publishes the original message of l to its original subject, with
// its original headers and a message id of its own (so that the stream's
// duplicate window neither swallows it nor lets a repeated replay store it
// twice), then deletes l from the dead-letter stream. A crash in between
// leaves the letter in place; replaying it again within the duplicate
// window stores nothing twice.
func Replay(ctx context.Context, js jetstream.JetStream, names trawler.Names, l Letter) error {
	if !strings.HasPrefix(l.Subject, names.NS+".") {
		return fmt.Errorf("dead letter %d: subject %q is not in namespace %q", l.ID, l.Subject, names.NS)
	}
	msg := nats.NewMsg(l.Subject)
	for k, v := range l.Header {
		msg.Header[k] = v
	}
	for _, k := range deadLetterHeaders {
		msg.Header.Del(k)
	}
	msg.Header.Set(jetstream.MsgIDHeader, "dlq-replay:"+names.DeadLetterStream()+":"+strconv.FormatUint(l.ID, 10))
	msg.Data = l.Data
	if _, err := js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("replay dead letter %d to %s: %w", l.ID, l.Subject, err)
	}
	st, err := js.Stream(ctx, names.DeadLetterStream())
	if err == nil {
		err = st.DeleteMsg(ctx, l.ID)
	}
	if err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return fmt.Errorf("dead letter %d replayed but not deleted: %w", l.ID, err)
	}
	return nil
}

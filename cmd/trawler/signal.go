package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// signalCause is the cause of a context cancelled by a signal (see
// signalContext), so a command can tell an interruption from its own stop.
type signalCause struct{ sig os.Signal }

func (c signalCause) Error() string { return "interrupted by " + signalName(c.sig) }

// signalContext is signal.NotifyContext that records which signal came as
// the context's cause (context.Cause): run's exit status depends on it.
func signalContext(parent context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			cancel(signalCause{s})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(context.Canceled)
	}
}

// interruption is the signal that cancelled ctx, if one did.
func interruption(ctx context.Context) (os.Signal, bool) {
	var c signalCause
	if errors.As(context.Cause(ctx), &c) {
		return c.sig, true
	}
	return nil, false
}

// interruptedError is a command stopped by a signal before it finished
// (exit status 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM).
type interruptedError struct {
	sig    os.Signal
	detail string // what was left, and how to resume
}

func (e *interruptedError) Error() string {
	if e.detail == "" {
		return "interrupted by " + signalName(e.sig)
	}
	return fmt.Sprintf("interrupted by %s: %s", signalName(e.sig), e.detail)
}

func (e *interruptedError) code() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

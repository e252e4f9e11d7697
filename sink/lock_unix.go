//go:build unix

package sink

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// noFollow makes opening a symbolic link fail: the sink writes to files of
// its own, never through a link to someone else's.
const noFollow = syscall.O_NOFOLLOW

// lockFile takes an exclusive advisory lock on f without waiting. Two
// processes appending to one JSONL sink would each skip only what they wrote
// themselves, so the second one is refused. The lock goes with the process,
// kill -9 included.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return fmt.Errorf("%s is in use by another jsonl sink (one writer per file or directory)", f.Name())
	}
	if err != nil {
		return fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return nil
}

//go:build !unix

package sink

import "os"

// lockFile does nothing where flock(2) is missing: run one writer per JSONL
// sink by hand.
func lockFile(*os.File) error { return nil }

// noFollow is unavailable: openOwn's Lstat check stands alone.
const noFollow = 0

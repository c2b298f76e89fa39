package build

import "golang.org/x/sys/unix"

// exchange swaps the directories a and b in one step, so that no reader
// ever finds b missing or half-written. It fails on file systems and kernels
// that cannot; swap then renames twice.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}

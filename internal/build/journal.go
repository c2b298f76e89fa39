package build

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// A rebuild replaces only the files that changed, in place, so it cannot
// swap a whole tree in. It commits as git does with its lock files: every
// new file is first written to a staging directory beside the output, then
// a journal naming each move and removal is put in place in one rename,
// and only then are the moves made. A build killed before the journal is
// in place leaves the output as it was; one killed after leaves a journal
// that the next build carries out before anything else, so the output
// becomes the new site.

// A journal is what a rebuild's commit does, in order.
type journal struct {
	Moves  []move   `json:"moves"`  // staged file → output file
	Remove []string `json:"remove"` // output files the site no longer has
	// Last, the new cache at cachePath(out)+".tmp" is put in place, and
	// the details files of other caches are removed.
	Details string `json:"details"` // the new cache's details file, by base name
}

type move struct {
	From string `json:"from"` // a name in the staging directory
	To   string `json:"to"`   // an output file name, slash-separated
}

func stagePath(out string) string   { return beside(out, ".errwiki-stage") }
func journalPath(out string) string { return beside(out, ".errwiki-journal") }

// beside returns the hidden name beside out with the given suffix:
// ".public.errwiki-stage" for "public".
func beside(out, suffix string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+suffix)
}

// A stage collects the files of a rebuild before its commit.
type stage struct {
	out string
	j   journal
}

func newStage(out string) (*stage, error) {
	if err := os.RemoveAll(stagePath(out)); err != nil {
		return nil, err
	}
	if err := os.Mkdir(stagePath(out), 0o755); err != nil {
		return nil, fmt.Errorf("create staging directory: %w", err)
	}
	return &stage{out: out}, nil
}

// add writes files, by output name, to the staging directory, on every
// core, and plans their moves.
func (s *stage) add(names []string, data [][]byte) error {
	base := len(s.j.Moves)
	errs := make([]error, len(names))
	onCores(len(names), func(i int) {
		from := strconv.Itoa(base + i)
		errs[i] = os.WriteFile(filepath.Join(stagePath(s.out), from), data[i], 0o644)
	})
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("stage files: %w", err)
	}
	for i, name := range names {
		s.j.Moves = append(s.j.Moves, move{strconv.Itoa(base + i), name})
	}
	return nil
}

// commit puts the journal in place, which commits the rebuild, then
// carries it out.
func (s *stage) commit() error {
	data, err := json.Marshal(s.j)
	if err != nil {
		return err
	}
	tmp := journalPath(s.out) + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("write journal: %w", err)
	}
	step("journal")
	if err := os.Rename(tmp, journalPath(s.out)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write journal: %w", err)
	}
	return finish(s.out)
}

// finish carries out the journal beside out, if there is one, and removes
// it and the staging directory. Carrying it out again after a kill is
// harmless: a move whose staged file is gone was made, and a removal of a
// file that is gone was done.
func finish(out string) error {
	data, err := os.ReadFile(journalPath(out))
	if errors.Is(err, fs.ErrNotExist) {
		return os.RemoveAll(stagePath(out)) // a rebuild that never committed
	}
	if err != nil {
		return err
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("read journal %s: %w", journalPath(out), err)
	}
	for i, m := range j.Moves {
		if i == len(j.Moves)/2 {
			step("half")
		}
		src := filepath.Join(stagePath(out), m.From)
		dst := filepath.Join(out, filepath.FromSlash(m.To))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(src, dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	for _, name := range j.Remove {
		dst := filepath.Join(out, filepath.FromSlash(name))
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		os.Remove(filepath.Dir(dst)) // gone with its last file; fails harmlessly otherwise
	}
	step("moved")
	if err := os.Rename(cachePath(out)+".tmp", cachePath(out)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	removeDetails(out, j.Details)
	if err := os.Remove(journalPath(out)); err != nil {
		return err
	}
	return os.RemoveAll(stagePath(out))
}

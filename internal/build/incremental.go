package build

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/errwiki/errwiki/internal/content"
	"github.com/errwiki/errwiki/internal/wire"
)

// The build cache lives beside the output (".public.errwiki-cache" for
// "public"): the parsed articles of the last good build and a key for every
// output file, a digest of everything the file was made from. The next
// build parses only the articles whose files changed, renders only the
// files whose key changed, and writes only the files whose bytes changed.
// The details of the articles, which only their own pages, JSON and search
// entries show, are saved apart, in a file the cache names
// (".public.errwiki-details-*"), and read a record at a time.

// buildCache is what a build leaves for the next one.
type buildCache struct {
	Program program                   // the program that built the output
	Outputs map[string]content.Digest // read back: every output file; zero for files without a key
	content *content.Cache

	jobs     []job            // this build's files,
	keys     []content.Digest // with their keys, saved as Outputs; nil once encode wrote them
	details  string           // the file of the details: the one read, or the one encode saved them in
	appended bool             // encode appended to the details file of the cache read
}

// buildCacheMagic starts a saved build cache, and changes whenever its form
// does.
const buildCacheMagic = "errwiki build cache 5"

func cachePath(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".errwiki-cache")
}

// CacheSize returns the size of the build cache beside out, or 0 when
// there is none: a rebuild into out reads it whole and keeps it in memory
// to the end, since the articles it holds share its bytes.
func CacheSize(out string) int64 {
	fi, err := os.Stat(cachePath(out))
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return fi.Size()
}

// detailsPrefix starts the names of the files that hold the details of
// saved caches of out.
func detailsPrefix(out string) string { return "." + filepath.Base(out) + ".errwiki-details-" }

// readBuildCache returns the cache of the last build into out, or nil when
// there is none that this build can use.
func readBuildCache(out string) *buildCache {
	data, err := os.ReadFile(cachePath(out))
	if err != nil || len(data) < sha256.Size {
		return nil
	}
	// The file ends with the SHA-256 of what comes before: a cache that
	// lost or flipped a byte is not read.
	data, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if s := sha256.Sum256(data); !bytes.Equal(s[:], sum) {
		return nil
	}
	r := wire.NewReader(data)
	if r.String() != buildCacheMagic {
		return nil
	}
	var bc buildCache
	bc.Program.get(r)
	n, _ := r.Len()
	bc.Outputs = make(map[string]content.Digest, min(n, len(data)/sha256.Size))
	for i := 0; i < n && r.Err() == nil; i++ {
		name := r.String()
		var d content.Digest
		r.Fixed(d[:])
		bc.Outputs[name] = d
	}
	// The details are read from their file when they are needed; without
	// it, from the articles' files.
	var details *os.File
	if name := r.String(); strings.HasPrefix(name, detailsPrefix(out)) && !strings.ContainsAny(name, `/\`) {
		if details, err = os.Open(filepath.Join(filepath.Dir(out), name)); err == nil {
			bc.details = details.Name()
		}
	}
	if bc.content, err = content.ReadCache(r, details); err != nil || r.End() != nil {
		if details != nil {
			details.Close()
		}
		return nil
	}
	return &bc
}

// encode writes the cache to a temporary file beside its place; commit
// then moves it there, and discard removes it. The details go to the end
// of the details file of prev, the cache this build read, when no more
// than half of that file is records no entry points to any more, and
// otherwise to a new file.
func (bc *buildCache) encode(out string, prev *buildCache) error {
	f, err := os.Create(cachePath(out) + ".tmp")
	if err != nil {
		return fmt.Errorf("write build cache: %w", err)
	}
	details, appendAt := appendable(prev)
	if details == nil {
		if details, err = os.CreateTemp(filepath.Dir(out), detailsPrefix(out)); err != nil {
			f.Close()
			bc.discard(out)
			return fmt.Errorf("write build cache: %w", err)
		}
	}
	bc.details, bc.appended = details.Name(), appendAt >= 0
	dw := bufio.NewWriterSize(details, 64<<10)
	h := sha256.New()
	w := wire.NewWriter(io.MultiWriter(f, h))
	w.String(buildCacheMagic)
	bc.Program.put(w)
	w.Len(len(bc.jobs), false)
	for i, j := range bc.jobs {
		w.String(j.name())
		w.Fixed(bc.keys[i][:])
	}
	bc.keys = nil // a large wiki's keys are megabytes, which the pages rendered meanwhile can use
	w.String(filepath.Base(bc.details))
	err = errors.Join(bc.content.Save(w, dw, appendAt), w.Flush(), dw.Flush())
	if err == nil {
		_, err = f.Write(h.Sum(nil))
	}
	err = errors.Join(err, f.Close(), details.Close())
	if err != nil {
		bc.discard(out)
		return fmt.Errorf("write build cache: %w", err)
	}
	return nil
}

// commit puts the cache in place, and then removes the details of older
// caches, which no cache names any more.
func (bc *buildCache) commit(out string) error {
	step("cache")
	if err := os.Rename(cachePath(out)+".tmp", cachePath(out)); err != nil {
		bc.discard(out)
		return fmt.Errorf("write build cache: %w", err)
	}
	removeDetails(out, filepath.Base(bc.details))
	return nil
}

// removeDetails removes the details files beside out but keep, a base name.
// They belong to caches that are gone: a cache reads no details file but
// its own, and does without one it cannot open.
func removeDetails(out, keep string) {
	old, _ := filepath.Glob(filepath.Join(filepath.Dir(out), detailsPrefix(out)+"*"))
	for _, p := range old {
		if filepath.Base(p) != keep {
			os.Remove(p)
		}
	}
}

// appendable opens the details file of prev for appending, and returns it
// with its size, when the entries of prev's cache, which this build's
// cache is, still use at least half of it; or else nil and -1.
func appendable(prev *buildCache) (*os.File, int64) {
	if prev == nil || prev.details == "" {
		return nil, -1
	}
	f, err := os.OpenFile(prev.details, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, -1
	}
	if fi, err := f.Stat(); err == nil && fi.Size() <= 2*prev.content.SavedBytes() {
		return f, fi.Size()
	}
	f.Close()
	return nil, -1
}

// discard removes the new cache, and the new details file; details
// appended to the file of the cache read stay after its records, which
// no cache points to.
func (bc *buildCache) discard(out string) {
	os.Remove(cachePath(out) + ".tmp")
	if bc.details != "" && !bc.appended {
		os.Remove(bc.details)
	}
}

// A program is this program's executable as a build last saw it: its
// digest, and the size and time it had then.
type program struct {
	Path   string
	Size   int64
	Mod    int64 // modification time, Unix nanoseconds
	Digest content.Digest
}

func (p *program) put(w *wire.Writer) {
	w.String(p.Path)
	w.Int(p.Size)
	w.Int(p.Mod)
	w.Fixed(p.Digest[:])
}

func (p *program) get(r *wire.Reader) {
	p.Path = r.String()
	p.Size = r.Int()
	p.Mod = r.Int()
	r.Fixed(p.Digest[:])
}

// identify digests this program's executable, or takes the digest of last
// if the executable kept its path, size and time since, as a rebuild
// takes a source file that kept them for unchanged.
func identify(last program) (program, error) {
	exe, err := os.Executable()
	if err != nil {
		return program{}, fmt.Errorf("identify this program: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return program{}, fmt.Errorf("identify this program: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return program{}, fmt.Errorf("identify this program: %w", err)
	}
	p := program{Path: exe, Size: fi.Size(), Mod: fi.ModTime().UnixNano()}
	if p.Path == last.Path && p.Size == last.Size && p.Mod == last.Mod && last.Digest != (content.Digest{}) {
		p.Digest = last.Digest
		return p, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return program{}, fmt.Errorf("identify this program: %w", err)
	}
	p.Digest = content.Digest(h.Sum(nil))
	return p, nil
}

// baseKey digests what every file is made from besides its data: this
// program and the templates.
func baseKey(prog program, templates content.Digest) content.Digest {
	b := append(append([]byte("errwiki outputs 1\n"), prog.Digest[:]...), templates[:]...)
	return sha256.Sum256(b)
}

// keys returns the key of every job, in order: a digest of the base key,
// the file's name and its data; zero, so that the file is made every time,
// for a job without data. They are digested on every core.
func keys(jobs []job, base content.Digest) []content.Digest {
	d := newDigester()
	digests := make([]content.Digest, len(jobs))
	onCores(len(jobs), func(i int) {
		v := jobs[i].keyData()
		if v == nil {
			return
		}
		data, name := d.digest(v), jobs[i].name()
		b := append(append(make([]byte, 0, 2*sha256.Size+len(name)), base[:]...), data[:]...)
		digests[i] = sha256.Sum256(append(b, name...))
	})
	return digests
}

// update renders the files of the previous output in out whose key
// changed, and stages those whose bytes changed and the removal of the
// files the site no longer has, for a commit of the returned stage.
// Nothing in out changes before that commit, so a failed render or write
// leaves out as it was.
func update(out string, jobs []job, keys []content.Digest, prev *buildCache) (Stats, *stage, error) {
	// A file is made again when its key changed or it is no longer there;
	// looking is a system call a file, made on every core.
	again := make([]bool, len(jobs))
	onCores(len(jobs), func(i int) {
		name := jobs[i].name()
		if k := keys[i]; k == (content.Digest{}) || prev.Outputs[name] != k {
			again[i] = true
		} else if fi, err := os.Lstat(filepath.Join(out, filepath.FromSlash(name))); err != nil || !fi.Mode().IsRegular() {
			again[i] = true
		}
	})
	var todo []job
	for i, j := range jobs {
		if again[i] {
			todo = append(todo, j)
		}
	}
	var fresh Memory
	if err := generate(todo, &fresh); err != nil {
		return Stats{}, nil, err
	}
	changed := make([]bool, len(todo))
	onCores(len(todo), func(i int) {
		name := todo[i].name()
		data, _ := fresh.File(name)
		changed[i] = !sameContent(filepath.Join(out, filepath.FromSlash(name)), data)
	})
	var names []string
	var files [][]byte
	for i, j := range todo {
		if changed[i] {
			name := j.name()
			data, _ := fresh.File(name)
			names, files = append(names, name), append(files, data)
		}
	}
	s, err := newStage(out)
	if err != nil {
		return Stats{}, nil, err
	}
	if err := s.add(names, files); err != nil {
		return Stats{}, nil, err
	}
	// The files of the previous output that no job makes.
	for _, j := range jobs {
		delete(prev.Outputs, j.name())
	}
	for name := range prev.Outputs {
		s.j.Remove = append(s.j.Remove, name)
	}
	slices.Sort(s.j.Remove)
	return Stats{Files: len(jobs), Rendered: len(todo), Written: len(names), Reused: len(jobs) - len(names)}, s, nil
}

// onCores calls f for 0, 1, …, n-1, spread over every core.
func onCores(n int, f func(i int)) {
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				f(i)
			}
		})
	}
	wg.Wait()
}

package qbdsim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"
)

// SharedFile is a company file (JSON, see Save) that more than one process changes — the
// demo's simulated Web Connector keeps the company in memory between sessions, and
// `ledgerlink sim qbd adjust` changes stock in it from the command line. Update serialises
// them with an exclusive lock on Path+".lock" and reloads the file when another process saved
// it since this one last did, so neither overwrites the other's changes.
type SharedFile struct {
	Path   string
	Config Config // as for Load/New
	// Create makes the company when Path does not exist yet; nil makes Update fail with
	// ErrNotFound instead.
	Create func(Config) (*Company, error)

	mu      sync.Mutex
	company *Company
	stamp   fileStamp // the file as this process last loaded or saved it
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// Update runs fn on the company while holding the file's lock: the company is loaded (or
// created) first, or reloaded when the file changed on disk, and saved after fn — also when fn
// fails, since fn may have changed the company before failing (a Web Connector session that
// applied some requests). fn's error is returned.
func (f *SharedFile) Update(fn func(*Company) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	unlock, err := lockFile(f.Path + ".lock")
	if err != nil {
		return fmt.Errorf("qbd: lock company file %s: %w", f.Path, err)
	}
	defer unlock()
	fi, statErr := os.Stat(f.Path)
	switch {
	case statErr == nil:
		if f.company == nil || f.stamp != stampOf(fi) {
			c, err := Load(f.Path, f.Config)
			if err != nil {
				return err
			}
			f.company, f.stamp = c, stampOf(fi)
		}
	case errors.Is(statErr, fs.ErrNotExist) && f.company == nil:
		if f.Create == nil {
			return fmt.Errorf("qbd: no company file at %s: %w", f.Path, ErrNotFound)
		}
		c, err := f.Create(f.Config)
		if err != nil {
			return err
		}
		f.company = c
	case !errors.Is(statErr, fs.ErrNotExist):
		return fmt.Errorf("qbd: company file: %w", statErr)
	}
	fnErr := fn(f.company)
	if err := f.company.Save(f.Path); err != nil {
		return errors.Join(fnErr, err)
	}
	if fi, err := os.Stat(f.Path); err == nil {
		f.stamp = stampOf(fi)
	}
	return fnErr
}

func stampOf(fi fs.FileInfo) fileStamp { return fileStamp{mod: fi.ModTime(), size: fi.Size()} }

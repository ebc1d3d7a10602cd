package db

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/lib/pq"
)

var (
	// ErrNotFound is returned when the row asked for does not exist in the caller's account.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists is returned when a unique constraint rejects a write.
	ErrAlreadyExists = errors.New("already exists")
)

// translate turns driver errors into the package sentinels, keeping the original wrapped.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" { // unique_violation
		return fmt.Errorf("%w: %s", ErrAlreadyExists, pqErr.Constraint)
	}
	return err
}

// Retryable reports whether err aborted a transaction that can simply run again: Postgres
// broke a deadlock (40P01) or a serialization conflict (40001) by failing this side.
func Retryable(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "40P01" || pqErr.Code == "40001")
}

// redactURL hides the password of a connection URL so it can be logged.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

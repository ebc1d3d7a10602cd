// Package model holds the GraphQL-facing types. Generated ones live in models_gen.go; the ones
// here are written by hand because they carry fields the schema resolves lazily.
package model

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// APIKey is an API key as the schema shows it. CreatedByID is resolved to a User on demand.
type APIKey struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Prefix      string     `json:"prefix"`
	CreatedAt   time.Time  `json:"createdAt"`
	CreatedByID *int64     `json:"-"`
	LastUsedAt  *time.Time `json:"lastUsedAt"`
	RevokedAt   *time.Time `json:"revokedAt"`
}

// Dashboard holds the counters read from Postgres; the worker status is resolved separately
// because it asks Redis.
type Dashboard struct {
	ErrorsLast24h   int `json:"errorsLast24h"`
	WarningsLast24h int `json:"warningsLast24h"`
	InfoLast24h     int `json:"infoLast24h"`
	ActiveAPIKeys   int `json:"activeApiKeys"`
}

// MarshalInt64ID writes a database id as a GraphQL ID (a decimal string).
func MarshalInt64ID(id int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(strconv.FormatInt(id, 10)))
	})
}

// InputError is a value the caller sent that cannot be read (an id that is not a number): the
// error presenter answers it as BAD_USER_INPUT with its message.
type InputError struct{ Message string }

func (e *InputError) Error() string { return e.Message }

// UnmarshalInt64ID reads a GraphQL ID given as a decimal string or a JSON number. A value that
// is not a positive decimal number is an *InputError.
func UnmarshalInt64ID(v any) (int64, error) {
	switch v := v.(type) {
	case string:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return 0, &InputError{Message: fmt.Sprintf("%.40q is not a valid id.", v)}
		}
		return id, nil
	case json.Number:
		return UnmarshalInt64ID(v.String())
	case int64:
		return v, nil
	case int:
		return int64(v), nil
	default:
		return 0, &InputError{Message: fmt.Sprintf("A %T is not a valid id.", v)}
	}
}

// QuickBooksDesktopConnection is a QBD connection; qwc, work and workItems resolve on demand.
type QuickBooksDesktopConnection struct {
	ID                   int64      `json:"id"`
	Name                 string     `json:"name"`
	WebConnectorUsername string     `json:"webConnectorUsername"`
	CompanyFile          string     `json:"companyFile"`
	RunEveryMinutes      int        `json:"runEveryMinutes"`
	QbxmlVersion         *string    `json:"qbxmlVersion"`
	LastContactAt        *time.Time `json:"lastContactAt"`
	CreatedAt            time.Time  `json:"createdAt"`

	OwnerID, FileID string `json:"-"`
}

// Order is a stored order; its audit trail (events) resolves on demand.
type Order struct {
	ID               int64      `json:"id"`
	Channel          string     `json:"channel"`
	ConnectionID     int64      `json:"connectionId"`
	ExternalID       string     `json:"externalId"`
	Number           string     `json:"number"`
	State            OrderState `json:"state"`
	StateReason      string     `json:"stateReason"`
	CustomerName     string     `json:"customerName"`
	Total            string     `json:"total"`
	Currency         string     `json:"currency"`
	StoreCreatedAt   *time.Time `json:"storeCreatedAt"`
	StoreUpdatedAt   *time.Time `json:"storeUpdatedAt"`
	ChangedAfterPost bool       `json:"changedAfterPost"`
	CreatedAt        time.Time  `json:"createdAt"`
	UpdatedAt        time.Time  `json:"updatedAt"`
	Normalized       string     `json:"normalized"`
	Raw              string     `json:"raw"`
}

// StoreConnection is a store connection; its sync progress (in Redis) resolves on demand.
type StoreConnection struct {
	ID                     int64   `json:"id"`
	Channel                Channel `json:"channel"`
	Name                   string  `json:"name"`
	BaseURL                string  `json:"baseUrl"`
	QuickBooksConnectionID *int64  `json:"quickBooksConnectionId"`
	// QuickBooksOnlineConnectionID is set instead of QuickBooksConnectionID for a store posting
	// to a QuickBooks Online company.
	QuickBooksOnlineConnectionID *int64           `json:"quickBooksOnlineConnectionId"`
	Settings                     *PostingSettings `json:"settings"`
	SyncEveryMinutes             int              `json:"syncEveryMinutes"`
	Enabled                      bool             `json:"enabled"`
	SyncedThrough                *time.Time       `json:"syncedThrough"`
	LastSyncAt                   *time.Time       `json:"lastSyncAt"`
	LastSyncError                string           `json:"lastSyncError"`
	CreatedAt                    time.Time        `json:"createdAt"`
}

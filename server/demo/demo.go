// Package demo seeds the demo account that `make run` and the end-to-end tests sign in to.
// Seeding is idempotent: running it again changes nothing but what the environment asks for.
package demo

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

// AccountName is the demo account's name.
const AccountName = "Demo Store"

// Options say who the demo user is. APIKey, when set, is registered as the demo account's key.
// QBWCPassword, when set, makes sure the demo account has a QuickBooks Desktop connection
// that the simulated Web Connector signs in to as QBWCUsername.
type Options struct {
	Email    string
	Password string
	APIKey   string

	QBWCUsername string
	QBWCPassword string

	// Stores, when set, connects the demo account to the simulated stores (needs the
	// QuickBooks Desktop connection above).
	Stores *StoreOptions
}

// QBDConnectionName names the demo account's simulated QuickBooks Desktop company.
const QBDConnectionName = "Demo company (simulated QuickBooks Desktop)"

// Seed makes sure the demo account, its owner and (optionally) its API key exist, and that the
// owner's password is Options.Password. It returns the demo account.
func Seed(ctx context.Context, d *db.DB, o Options) (*db.Account, error) {
	if o.Email == "" || o.Password == "" {
		return nil, errors.New("demo: email and password are required")
	}
	u, err := d.GetUserByEmail(ctx, o.Email)
	var acct *db.Account
	switch {
	case errors.Is(err, db.ErrNotFound):
		hash, err := auth.HashPassword(o.Password)
		if err != nil {
			return nil, err
		}
		acct = &db.Account{Name: AccountName}
		if err := d.CreateAccount(ctx, acct); err != nil {
			return nil, err
		}
		u = &db.User{AccountID: acct.ID, Email: o.Email, Name: "Demo Owner", Role: db.RoleOwner, PasswordHash: hash}
		if err := d.CreateUser(ctx, u); err != nil {
			return nil, err
		}
		if err := d.AddLog(ctx, &db.SyncLog{AccountID: acct.ID, Level: db.LevelInfo, Source: "settings",
			Message: "Demo account created for " + o.Email + "."}); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	default:
		if acct, err = d.GetAccount(ctx, u.AccountID); err != nil {
			return nil, err
		}
		if ok, _ := auth.VerifyPassword(u.PasswordHash, o.Password); !ok {
			hash, err := auth.HashPassword(o.Password)
			if err != nil {
				return nil, err
			}
			if err := d.UpdateUserPassword(ctx, u.ID, hash); err != nil {
				return nil, err
			}
		}
	}
	if o.APIKey != "" {
		if err := ensureAPIKey(ctx, d, acct.ID, u.ID, o.APIKey); err != nil {
			return nil, err
		}
	}
	if o.QBWCPassword != "" {
		if err := ensureQBDConnection(ctx, d, acct.ID, o.QBWCUsername, o.QBWCPassword); err != nil {
			return nil, err
		}
		if o.Stores != nil {
			if err := seedStores(ctx, d, acct.ID, o.QBWCUsername, *o.Stores); err != nil {
				return nil, err
			}
		}
	}
	return acct, nil
}

// ensureQBDConnection creates the demo QuickBooks Desktop connection, or resets its password
// to the configured one.
func ensureQBDConnection(ctx context.Context, d *db.DB, accountID int64, username, password string) error {
	if username == "" {
		return errors.New("demo: a Web Connector username is required with the password")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	c, err := d.GetQBDConnectionByUsername(ctx, username)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return d.CreateQBDConnection(ctx, &db.QBDConnection{AccountID: accountID, Name: QBDConnectionName, WCUsername: username,
			WCPasswordHash: hash, OwnerID: "4c4c4c4c-0000-4000-8000-000000000001", FileID: "4c4c4c4c-0000-4000-8000-000000000002",
			RunEveryMinutes: 1})
	case err != nil:
		return err
	case c.AccountID != accountID:
		return fmt.Errorf("demo: Web Connector username %q belongs to another account", username)
	}
	if ok, _ := auth.VerifyPassword(c.WCPasswordHash, password); ok {
		return nil
	}
	return d.SetQBDPassword(ctx, accountID, c.ID, hash)
}

func ensureAPIKey(ctx context.Context, d *db.DB, accountID, userID int64, key string) error {
	if len(key) < len(auth.APIKeyPrefix)+20 {
		return fmt.Errorf("demo: LEDGERLINK_DEMO_API_KEY is too short to be safe (need 20+ characters after %s)", auth.APIKeyPrefix)
	}
	sum := sha256.Sum256([]byte(key))
	existing, err := d.GetActiveAPIKeyByHash(ctx, sum[:])
	if err == nil {
		if existing.AccountID != accountID {
			return errors.New("demo: LEDGERLINK_DEMO_API_KEY already belongs to another account")
		}
		return nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return err
	}
	k := &db.APIKey{AccountID: accountID, Name: "Demo API key (LEDGERLINK_DEMO_API_KEY)",
		Prefix: key[:len(auth.APIKeyPrefix)+6], KeyHash: sum[:], CreatedBy: &userID}
	err = d.CreateAPIKey(ctx, k)
	if errors.Is(err, db.ErrAlreadyExists) {
		return errors.New("demo: LEDGERLINK_DEMO_API_KEY was revoked; choose a new key")
	}
	return err
}

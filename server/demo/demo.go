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
type Options struct {
	Email    string
	Password string
	APIKey   string
}

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
	return acct, nil
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

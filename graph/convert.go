package graph

import (
	"strings"

	"github.com/ledgerlink/ledgerlink/db"
	"github.com/ledgerlink/ledgerlink/graph/model"
	"github.com/ledgerlink/ledgerlink/server/auth"
)

func toAccount(a *db.Account) *model.Account {
	return &model.Account{ID: a.ID, Name: a.Name, CreatedAt: a.CreatedAt}
}

func toUser(u *db.User) *model.User {
	return &model.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: toRole(u.Role), CreatedAt: u.CreatedAt}
}

func toRole(r db.Role) model.Role { return model.Role(strings.ToUpper(string(r))) }

func toAPIKey(k *db.APIKey) *model.APIKey {
	return &model.APIKey{ID: k.ID, Name: k.Name, Prefix: k.Prefix, CreatedAt: k.CreatedAt,
		CreatedByID: k.CreatedBy, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
}

func toSyncLog(l *db.SyncLog) *model.SyncLog {
	out := &model.SyncLog{ID: l.ID, Level: model.LogLevel(strings.ToUpper(string(l.Level))), Source: l.Source,
		Message: l.Message, Hint: l.Hint, ConnectionID: l.ConnectionID, CreatedAt: l.CreatedAt}
	if len(l.Details) > 0 {
		s := string(l.Details)
		out.Details = &s
	}
	return out
}

func toAuthMethod(m auth.Method) model.AuthMethod {
	if m == auth.MethodAPIKey {
		return model.AuthMethodAPIKey
	}
	return model.AuthMethodSession
}

// Package alertstest is a local SMTP server for tests: it accepts mail (with AUTH PLAIN for
// one user) and keeps every message. It is emersion/go-smtp's server, a complete SMTP
// implementation, rather than a hand-written one, so that what the alerts' net/smtp client
// says is checked by an independent reading of the protocol (EHLO, AUTH, dot-stuffing).
package alertstest

import (
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one message caught.
type Mail struct {
	AuthUser string
	From     string
	To       []string
	Data     []byte // the raw message, headers and body
}

// Catcher is a running SMTP server on 127.0.0.1.
type Catcher struct {
	Addr           string
	user, password string

	mu    sync.Mutex
	mails []Mail
}

// Start serves SMTP on a free 127.0.0.1 port until the test ends; it accepts the login user /
// password only.
func Start(t testing.TB, user, password string) *Catcher {
	t.Helper()
	c := &Catcher{user: user, password: password}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{c: c}, nil }))
	s.Domain, s.AllowInsecureAuth = "catcher.test", true
	s.ReadTimeout, s.WriteTimeout = 30*time.Second, 30*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.Addr = l.Addr().String()
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return c
}

// URL is the LEDGERLINK_SMTP_URL that reaches c with its login.
func (c *Catcher) URL() string {
	return (&url.URL{Scheme: "smtp", User: url.UserPassword(c.user, c.password), Host: c.Addr}).String()
}

// Mails returns the messages caught so far.
func (c *Catcher) Mails() []Mail {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Mail(nil), c.mails...)
}

type session struct {
	c    *Catcher
	user string
	m    Mail
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.c.user || password != s.c.password {
			return errors.New("invalid credentials")
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.m = Mail{AuthUser: s.user, From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.m.To = append(s.m.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.m.Data = b
	s.c.mu.Lock()
	s.c.mails = append(s.c.mails, s.m)
	s.c.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.m = Mail{} }
func (s *session) Logout() error { return nil }

package alerts

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// ErrNoMail is returned when e-mail is asked for and the server has no SMTP configuration.
var ErrNoMail = errors.New("e-mail is not set up on this server (LEDGERLINK_SMTP_URL and LEDGERLINK_SMTP_FROM)")

// mailTimeout bounds one whole SMTP conversation.
const mailTimeout = 60 * time.Second

// Mailer sends e-mail through one SMTP server: smtp://user:pass@host:587 (STARTTLS when the
// server offers it; credentials are only sent over TLS or to localhost, net/smtp's rule) or
// smtps://user:pass@host:465 (TLS from the first byte). The password is never logged and never
// part of an error.
type Mailer struct {
	host, port string
	implicit   bool
	user       *url.Userinfo
	from       mail.Address
	// RootCAs, when set, replaces the system's roots (tests with their own certificate).
	RootCAs *x509.CertPool
}

// NewMailer reads the SMTP URL and the From address; an empty URL returns nil, nil (no e-mail).
func NewMailer(rawURL, from string) (*Mailer, error) {
	if rawURL == "" {
		return nil, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("LEDGERLINK_SMTP_URL is not a URL like smtp://user:password@host:587")
	}
	m := &Mailer{host: u.Hostname(), port: u.Port(), user: u.User}
	switch u.Scheme {
	case "smtp":
		if m.port == "" {
			m.port = "587"
		}
	case "smtps":
		m.implicit = true
		if m.port == "" {
			m.port = "465"
		}
	default:
		return nil, fmt.Errorf("LEDGERLINK_SMTP_URL must start with smtp:// or smtps://, got %q", u.Scheme+"://")
	}
	if m.host == "" {
		return nil, errors.New("LEDGERLINK_SMTP_URL has no host")
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("LEDGERLINK_SMTP_FROM must be an e-mail address like \"Ledgerlink <alerts@example.com>\", got %q", from)
	}
	m.from = *a
	return m, nil
}

// Server is host:port, for messages (no credentials).
func (m *Mailer) Server() string { return net.JoinHostPort(m.host, m.port) }

// Send mails subject and the plain-text body to every address in to.
func (m *Mailer) Send(ctx context.Context, to []string, subject, body string) error {
	if m == nil {
		return ErrNoMail
	}
	if err := m.send(ctx, to, subject, body); err != nil {
		return fmt.Errorf("sending e-mail through %s: %w", m.Server(), err)
	}
	return nil
}

func (m *Mailer) send(ctx context.Context, to []string, subject, body string) error {
	ctx, cancel := context.WithTimeout(ctx, mailTimeout)
	defer cancel()
	tlsConfig := &tls.Config{ServerName: m.host, RootCAs: m.RootCAs, MinVersion: tls.VersionTLS12}
	var conn net.Conn
	var err error
	if m.implicit {
		conn, err = (&tls.Dialer{Config: tlsConfig}).DialContext(ctx, "tcp", m.Server())
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", m.Server())
	}
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !m.implicit {
		if err := c.StartTLS(tlsConfig); err != nil {
			return err
		}
	}
	if m.user != nil {
		pass, _ := m.user.Password()
		if err := c.Auth(smtp.PlainAuth("", m.user.Username(), pass, m.host)); err != nil {
			return fmt.Errorf("signing in as %s: %w", m.user.Username(), err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("recipient %s: %w", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(m.message(to, subject, body)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message is the RFC 5322 message: UTF-8 text, quoted-printable.
func (m *Mailer) message(to []string, subject, body string) []byte {
	var b bytes.Buffer
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	fmt.Fprintf(&b, "From: %s\r\n", m.from.String())
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id), domainOf(m.from.Address))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	_ = qp.Close()
	return b.Bytes()
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "ledgerlink"
}

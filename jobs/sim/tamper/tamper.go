// Package tamper sits in front of a simulator and rewrites the JSON objects of its replies, on
// the wire only, to show clients what a store sends when its data is broken (an amount beyond
// what QuickBooks holds, a missing id) without teaching each simulator to store such data.
package tamper

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
)

// Handler serves Next; while On, every JSON object of a reply that Match selects (at any depth;
// the objects inside a selected one are not visited) is passed to Spoil before the reply is
// sent. Numbers keep their text. A reply of several JSON values (JSONL) has each rewritten,
// one per line. Replies that are not JSON pass unchanged.
type Handler struct {
	Next  http.Handler
	Match func(obj map[string]any) bool
	Spoil func(obj map[string]any)
	On    atomic.Bool
	// Hits counts the objects spoiled.
	Hits atomic.Int64
}

// New returns a Handler that is on.
func New(next http.Handler, match func(map[string]any) bool, spoil func(map[string]any)) *Handler {
	h := &Handler{Next: next, Match: match, Spoil: spoil}
	h.On.Store(true)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.On.Load() {
		h.Next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	h.Next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	body = h.rewrite(body)
	for k, vs := range rec.Header() {
		if k != "Content-Length" { // the body's length changed
			w.Header()[k] = vs
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body) // a failed write means the client has gone
}

// rewrite spoils the objects of body: one JSON value, or a stream of them (JSONL, as a Shopify
// bulk operation's result file), written back one per line. A body that is not all JSON is
// returned as it is.
func (h *Handler) rewrite(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var vals []any
	changed := false
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return body
		}
		vals = append(vals, v)
		changed = h.walk(v) || changed
	}
	if !changed {
		return body
	}
	var out bytes.Buffer
	for i, v := range vals {
		b, err := json.Marshal(v)
		if err != nil {
			return body
		}
		if i > 0 {
			out.WriteByte('\n')
		}
		out.Write(b)
	}
	if len(vals) > 1 {
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func (h *Handler) walk(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		if h.Match(v) {
			h.Spoil(v)
			h.Hits.Add(1)
			return true
		}
		for _, c := range v {
			changed = h.walk(c) || changed
		}
	case []any:
		for _, c := range v {
			changed = h.walk(c) || changed
		}
	}
	return changed
}

package qbosim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Batch limits (API reference "Batch", and the request ID rules of "Basic
// field definitions").
const (
	MaxBatchItems       = 30
	maxBatchRequestID   = 36
	maxBatchIDWithReqID = 10
)

// serveBatch is POST /batch: up to 30 BatchItemRequests, each answered by a
// BatchItemResponse with the same bId — the entity, a QueryResponse, or a
// Fault — inside one 200. Items run in order but cannot see entities created
// by earlier items of the same batch. With ?requestid=, each item's answer is
// kept under (requestid, bId): a retry with the same pair gets the original
// answer, a new bId is a new request.
func (s *Server) serveBatch(w http.ResponseWriter, r *http.Request, now time.Time, entry *Request) {
	reqID := r.URL.Query().Get("requestid")
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Items []map[string]json.RawMessage `json:"BatchItemRequest"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeFault(w, errBusiness("Request body is not a BatchItemRequest."), now)
		return
	}
	if len(req.Items) > MaxBatchItems {
		writeFault(w, errBusiness(fmt.Sprintf("The batch has %d BatchItemRequest objects; the maximum is %d.", len(req.Items), MaxBatchItems)), now)
		return
	}
	s.mu.Lock()
	ctx := &opCtx{now: now, hidden: map[string]bool{}}
	out := make([]any, 0, len(req.Items))
	replayed := 0
	for _, item := range req.Items {
		var bID string
		_ = json.Unmarshal(item["bId"], &bID)
		key := ""
		if reqID != "" {
			key = reqID + "\x00" + bID
			switch {
			case len(reqID) > maxBatchRequestID:
				out = append(out, faultItem(bID, errRequestIDLength(reqID, maxBatchRequestID)))
				continue
			case len(bID) > maxBatchIDWithReqID:
				out = append(out, faultItem(bID, errBusiness(fmt.Sprintf("The bId %s is longer than %d characters, the maximum when a requestid is given.", bID, maxBatchIDWithReqID))))
				continue
			}
			if saved := s.co.Replies[key]; saved != nil {
				var prev any
				_ = json.Unmarshal(saved.Body, &prev)
				out = append(out, prev)
				s.counts.Replays++
				replayed++
				continue
			}
		}
		answer, isWrite := s.batchItem(ctx, bID, item)
		if key != "" && isWrite {
			b, _ := json.Marshal(answer)
			s.co.Replies[key] = &savedReply{Status: http.StatusOK, Body: b}
		}
		out = append(out, answer)
	}
	s.counts.Batches++
	s.afterWriteLocked(ctx)
	s.mu.Unlock()
	entry.Replayed = replayed > 0 && replayed == len(req.Items)
	writeJSON(w, http.StatusOK, map[string]any{"BatchItemResponse": out, "time": answerTime(now)})
}

// batchItem runs one BatchItemRequest; isWrite is false for queries and
// malformed items (not kept for requestid replay).
func (s *Server) batchItem(ctx *opCtx, bID string, item map[string]json.RawMessage) (any, bool) {
	var op string
	_ = json.Unmarshal(item["operation"], &op)
	if raw, ok := item["Query"]; ok {
		var stmt string
		_ = json.Unmarshal(raw, &stmt)
		res, f := s.runQuery(ctx, stmt)
		if f != nil {
			return faultItem(bID, f), false
		}
		return map[string]any{"bId": bID, "QueryResponse": res}, false
	}
	var kind string
	var in Object
	for k, raw := range item {
		if k == "bId" || k == "operation" || k == "optionsData" {
			continue
		}
		kind = kindByLower[strings.ToLower(k)]
		if kind == "" || json.Unmarshal(raw, &in) != nil || in == nil {
			return faultItem(bID, errBusiness("Unsupported entity "+k+" in BatchItemRequest.")), false
		}
	}
	if kind == "" {
		return faultItem(bID, errRequired("BatchItemRequest entity")), false
	}
	m := ctx.mark()
	o, f := s.apply(ctx, kind, op, in)
	if f != nil {
		s.rollback(ctx, m)
		return faultItem(bID, f), true
	}
	return map[string]any{"bId": bID, kind: o}, true
}

func faultItem(bID string, f *Fault) map[string]any {
	return map[string]any{"bId": bID, "Fault": f.wire()}
}

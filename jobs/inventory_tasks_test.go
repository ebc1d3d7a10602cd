package jobs

import (
	"errors"
	"testing"

	"github.com/hibiken/asynq"
)

func TestInventoryPushTaskWireForm(t *testing.T) {
	task, err := NewInventoryPushTask(InventoryPushPayload{AccountID: 3, StoreConnectionID: 17})
	if err != nil {
		t.Fatal(err)
	}
	if task.Type() != "inventory:push" || string(task.Payload()) != `{"account_id":3,"store_connection_id":17}` {
		t.Fatalf("task %s %s", task.Type(), task.Payload())
	}
	p, err := ParseInventoryPushPayload(task)
	if err != nil || p != (InventoryPushPayload{AccountID: 3, StoreConnectionID: 17}) {
		t.Fatalf("parse: %+v %v", p, err)
	}
	if _, err := NewInventoryPushTask(InventoryPushPayload{AccountID: 3}); err == nil {
		t.Fatal("a push without a store connection was built")
	}
	if _, err := ParseInventoryPushPayload(asynq.NewTask(TypeInventoryPush, []byte(`{"account_id":3}`))); !errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("bad payload: %v", err)
	}
}

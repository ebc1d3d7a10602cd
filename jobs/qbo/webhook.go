package qbo

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/ledgerlink/ledgerlink/jobs/storenet"
)

// SignatureHeader carries a webhook's signature: base64(HMAC-SHA256(verifier token, raw body)),
// the verifier token being the app's, from the Intuit developer portal (develop_webhooks.md).
const SignatureHeader = "intuit-signature"

// VerifyWebhook reports whether signature is body's, signed with verifier.
func VerifyWebhook(body []byte, signature, verifier string) bool {
	return verifier != "" && storenet.VerifySignature(body, signature, verifier)
}

// Notification is one company's part of a webhook: the entities that changed in realm RealmID.
type Notification struct {
	RealmID  string
	Entities []ChangedEntity
}

// ChangedEntity is one change a webhook reports.
type ChangedEntity struct {
	Name      string `json:"name"` // entity kind: Item, SalesReceipt, …
	ID        string `json:"id"`
	Operation string `json:"operation"` // Create, Update, Delete, Merge, Void, Emailed
}

// ParseWebhook reads a webhook body:
// {"eventNotifications":[{"realmId":…,"dataChangeEvent":{"entities":[{"name","id","operation","lastUpdated"}]}}]}.
func ParseWebhook(body []byte) ([]Notification, error) {
	var w struct {
		EventNotifications []struct {
			RealmID         string `json:"realmId"`
			DataChangeEvent struct {
				Entities []ChangedEntity `json:"entities"`
			} `json:"dataChangeEvent"`
		} `json:"eventNotifications"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, errors.New("the webhook body is not a QuickBooks Online notification")
	}
	out := make([]Notification, 0, len(w.EventNotifications))
	for _, n := range w.EventNotifications {
		if n.RealmID == "" {
			return nil, errors.New("a webhook notification names no realmId")
		}
		out = append(out, Notification{RealmID: n.RealmID, Entities: n.DataChangeEvent.Entities})
	}
	return out, nil
}

// stockKinds are the entities whose changes can move an inventory item's QtyOnHand: the item
// itself, and the transactions with item lines.
var stockKinds = []string{"Item", "SalesReceipt", "Invoice", "CreditMemo", "RefundReceipt", "Bill", "VendorCredit", "Purchase",
	"InventoryAdjustment"}

// MovesStock reports whether n reports a change that can move stock.
func (n Notification) MovesStock() bool {
	return slices.ContainsFunc(n.Entities, func(e ChangedEntity) bool { return slices.Contains(stockKinds, e.Name) })
}

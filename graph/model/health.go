package model

import "time"

// WebConnectorHealth is a QBD connection's health; its runs resolve on demand.
type WebConnectorHealth struct {
	Status              WebConnectorStatus     `json:"status"`
	Since               time.Time              `json:"since"`
	Summary             string                 `json:"summary"`
	LastAuthenticateAt  *time.Time             `json:"lastAuthenticateAt"`
	LastFinishedAt      *time.Time             `json:"lastFinishedAt"`
	LateAfterMinutes    int                    `json:"lateAfterMinutes"`
	FailingAfterMinutes int                    `json:"failingAfterMinutes"`
	AuthFailures        int                    `json:"authFailures"`
	Problems            []*WebConnectorProblem `json:"problems"`

	ConnectionID int64 `json:"-"`
}

// MissedOrder is a sweeper gap; its store and order resolve on demand.
type MissedOrder struct {
	ID                int64            `json:"id"`
	Day               string           `json:"day"`
	ExternalID        string           `json:"externalId"`
	Number            string           `json:"number"`
	Cause             MissedOrderCause `json:"cause"`
	StoreCreatedAt    *time.Time       `json:"storeCreatedAt"`
	FoundAt           time.Time        `json:"foundAt"`
	ResyncRequestedAt *time.Time       `json:"resyncRequestedAt"`

	StoreID int64  `json:"-"`
	OrderID *int64 `json:"-"`
}

// OrderSweep is a store connection's latest daily check; its store resolves on demand.
type OrderSweep struct {
	Day         string    `json:"day"`
	StoreCount  int       `json:"storeCount"`
	OurCount    int       `json:"ourCount"`
	PostedCount int       `json:"postedCount"`
	GapCount    int       `json:"gapCount"`
	Error       *string   `json:"error"`
	SweptAt     time.Time `json:"sweptAt"`

	StoreID int64 `json:"-"`
}

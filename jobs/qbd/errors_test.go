package qbd_test

import (
	"errors"

	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	qbdsim "github.com/ledgerlink/ledgerlink/jobs/sim/qbd"
)

func errorsIsDropped(err error) bool { return errors.Is(err, qbdsim.ErrConnectionDropped) }
func errorsIsPosted(err error) bool  { return errors.Is(err, qbd.ErrAlreadyPosted) }

package qbd_test

import (
	"errors"

	"github.com/ledgerlink/ledgerlink/jobs/qbd"
	"github.com/ledgerlink/ledgerlink/jobs/sim/qbdsim"
)

func errorsIsDropped(err error) bool { return errors.Is(err, qbdsim.ErrConnectionDropped) }
func errorsIsPosted(err error) bool  { return errors.Is(err, qbd.ErrAlreadyPosted) }

package qbo_test

import (
	"testing"

	"github.com/ledgerlink/ledgerlink/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

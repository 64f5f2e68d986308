package mockserver_test

import "github.com/fruxon/fruxon-mock/mockserver/internal/apitest"

// The end-to-end harness (package apitest) is shared with the rooms'
// tests; these are the names this package's tests know it by.

const (
	api            = apitest.API
	runsAPI        = apitest.ControlAPI // the tool-run debugger and run log (control plane)
	crmIntegration = apitest.CRMIntegration
	runIntegration = apitest.RunIntegration
	prodKey        = apitest.ProdKey
)

type (
	client   = apitest.Client
	answer   = apitest.Answer
	runWorld = apitest.RunWorld
)

var (
	start              = apitest.Start
	newRunWorld        = apitest.NewRunWorld
	newRecordingVendor = apitest.NewRecordingVendor
	runBody            = apitest.RunBody
	runTools           = apitest.RunTools
)

// Package sandboxroute decides where a tool run goes (PRODUCTION, VENDOR or
// SIMULATED) from the execution mode and the config's sandboxMode, renders
// the tool's request, and either sends it (only to hosts on the outbound
// allow list) or answers it from a vendor stub. It holds no state of the
// mock and imports no room but integrations, for a config's material: the
// tools room resolves a run and records it, and calls the Router to answer
// it.
package sandboxroute

// VendorStub is a canned vendor answer for tool runs that are not sent
// out. Fixtures and scenarios define them; empty selector fields match
// anything, and the most specific stub wins.
type VendorStub struct {
	// Tenant, Integration, Tool and Route select the runs it answers.
	Tenant      string `json:"tenant,omitempty" yaml:"tenant,omitempty"`
	Integration string `json:"integration" yaml:"integration"`
	Tool        string `json:"tool,omitempty" yaml:"tool,omitempty"`
	Route       Route  `json:"route,omitempty" yaml:"route,omitempty"`
	// Response is what the vendor "answers".
	Response StubResponse `json:"response" yaml:"response"`
}

// StubResponse is a vendor's canned answer.
type StubResponse struct {
	Status  int               `json:"status" yaml:"status"`
	Headers map[string]string `json:"headers,omitempty" yaml:"headers,omitempty"`
	Body    any               `json:"body,omitempty" yaml:"body,omitempty"`
}

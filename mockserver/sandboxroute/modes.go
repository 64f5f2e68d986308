package sandboxroute

// The vocabulary of a run that the router decides on and acts by, defined
// here once: the tools room's Tool and ToolRun carry these values.

// ActionType says what a tool does to the vendor's data; READ_THROUGH
// sandboxing sends only READ_ONLY tools out.
type ActionType string

// Action types. UNSPECIFIED is the wire's zero sentinel; the tools room
// stores it as READ_ONLY, and Decide treats any value but READ_ONLY as a
// write.
const (
	ActionTypeUnspecified  ActionType = "UNSPECIFIED"
	ActionTypeReadOnly     ActionType = "READ_ONLY"
	ActionTypeReversible   ActionType = "REVERSIBLE"
	ActionTypeIrreversible ActionType = "IRREVERSIBLE"
)

// ResultType is how a tool's response body is interpreted.
type ResultType string

// Result types. UNSPECIFIED and TOOL answers read as JSON.
const (
	ResultTypeUnspecified ResultType = "UNSPECIFIED"
	ResultTypeTool        ResultType = "TOOL"
	ResultTypeJSON        ResultType = "JSON"
	ResultTypeString      ResultType = "STRING"
	ResultTypeBoolean     ResultType = "BOOLEAN"
	ResultTypeInteger     ResultType = "INTEGER"
)

// ExecutionMode is how an agent runs: only SANDBOX consults sandboxMode.
type ExecutionMode string

// Execution modes.
const (
	ExecutionModeProduction ExecutionMode = "PRODUCTION"
	ExecutionModeSandbox    ExecutionMode = "SANDBOX"
)

// Route is where a tool run was sent.
type Route string

// Routes.
const (
	RouteProduction Route = "PRODUCTION"
	RouteVendor     Route = "VENDOR"
	RouteSimulated  Route = "SIMULATED"
)

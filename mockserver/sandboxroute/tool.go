package sandboxroute

// Tool is what the router needs of a tool: who it is, its request template
// and how its answer reads.
type Tool struct {
	ID          string
	Integration string
	Template    Template
	ResultType  ResultType
}

// Template is a tool's HTTP request template; {{name}} placeholders are
// filled by Render.
type Template struct {
	HTTPMethod      string
	URL             string
	Headers         map[string]string
	QueryParameters map[string]string
	Body            *string
}

package coverage

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteTable prints a compact table: one line per operation, its declared
// statuses marked + (covered), ~ (only forced by Prefer or a stub) or -
// (not), then rows missing in the spec, tool runs and the totals.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tMETHOD PATH\tSTATUSES (+ covered, ~ only forced by Prefer or a stub, - not)")
	var missing []Operation
	for _, sc := range r.APICoverage {
		var cur string
		var marks []string
		var line string
		flush := func() {
			if cur != "" {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", cur, line, strings.Join(marks, " "))
			}
		}
		for _, op := range sc.Operations {
			if op.CoverageStatus == StatusMissingInSpc {
				missing = append(missing, op)
				continue
			}
			if op.OperationID != cur {
				flush()
				cur, marks, line = op.OperationID, nil, op.Method+" "+op.Path
			}
			mark := "-"
			switch {
			case op.CoverageStatus == StatusCovered:
				mark = "+"
			case op.Forced > 0:
				mark = "~"
			}
			marks = append(marks, mark+strconv.Itoa(op.ResponseCode))
		}
		flush()
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, op := range missing {
		fmt.Fprintf(w, "missing in spec: %s %s → %d (%s, %d×)\n", op.Method, op.Path, op.ResponseCode, op.OperationID, op.Count)
	}
	for _, run := range r.ToolRuns {
		fmt.Fprintf(w, "tool runs: %s × %s → %s: %d\n", run.ExecutionMode, run.SandboxMode, run.Route, run.Count)
	}
	_, err := fmt.Fprintf(w, "coverage: %d of %d declared (operation, status) pairs (%.1f%%), %d more only forced by Prefer or a stub, %d missing in spec\n",
		r.Totals.Covered, r.Totals.Pairs, r.Totals.Percent, r.Totals.ForcedOnly, r.Totals.MissingInSpec)
	return err
}

var htmlReport = template.Must(template.New("coverage").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API coverage</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
.covered{background:#e3f6e3}.not{background:#fbe4e4}.missing{background:#fff3cd}</style></head>
<body><h1>API coverage</h1>
<p>{{.Totals.Covered}} of {{.Totals.Pairs}} declared (operation, status) pairs covered ({{printf "%.1f" .Totals.Percent}}%), {{.Totals.ForcedOnly}} more only forced by Prefer or a scenario stub, {{.Totals.MissingInSpec}} missing in spec.</p>
{{range .APICoverage}}<h2>{{.Specification}}</h2>
<table><tr><th>operationId</th><th>method</th><th>path</th><th>status</th><th>coverage</th><th>count</th><th>forced</th></tr>
{{range .Operations}}<tr class="{{if eq .CoverageStatus "covered"}}covered{{else if eq .CoverageStatus "not covered"}}not{{else}}missing{{end}}"><td>{{.OperationID}}</td><td>{{.Method}}</td><td>{{.Path}}</td><td>{{.ResponseCode}}</td><td>{{.CoverageStatus}}</td><td>{{.Count}}</td><td>{{.Forced}}</td></tr>
{{end}}</table>{{end}}
{{if .ToolRuns}}<h2>Tool runs</h2><table><tr><th>executionMode</th><th>sandboxMode</th><th>route</th><th>count</th></tr>
{{range .ToolRuns}}<tr><td>{{.ExecutionMode}}</td><td>{{.SandboxMode}}</td><td>{{.Route}}</td><td>{{.Count}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`))

// WriteHTML writes the report as a self-contained HTML page.
func (r Report) WriteHTML(w io.Writer) error { return htmlReport.Execute(w, r) }

// Package proxy is fruxon-mock's validating reverse proxy (issue 14): it
// forwards every request to a target unchanged, checks both legs of each
// exchange against the contract with the project's validator, and keeps
// the findings in a journal (GET /_mock/journal), the log, coverage counts
// (GET /_mock/coverage) and a summary. With Strict, an answer that breaks
// the contract reaches the client as a 502 problem naming the violation.
// A Recorder turns the exchanges into a replayable scenario.
//
// Secrets (credential headers, secret members, auth parameters) are
// redacted in everything the proxy keeps or writes; the traffic itself
// passes untouched.
package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/scenarios"
	"github.com/fruxon/fruxon-mock/validator"
	"github.com/fruxon/fruxon-mock/validator/coverage"
)

// DefaultMaxBody is the largest body (each way) the proxy buffers to
// validate; larger ones pass through unvalidated, with a note.
const DefaultMaxBody = 10 << 20

// SessionHeader selects the coverage session of an exchange, as on the mock.
const SessionHeader = "X-Fruxon-Mock-Session"

// Config is what a Proxy needs.
type Config struct {
	// Target is the base URL requests are forwarded to.
	Target *url.URL
	// Validator checks both legs (the embedded spec or --spec).
	Validator *validator.Validator
	// SpecName names the spec in coverage reports (default fruxon.yaml).
	SpecName string
	// Strict answers a contract-breaking response with a 502 problem.
	Strict bool
	// MaxBody bounds what is buffered for validation (default
	// DefaultMaxBody).
	MaxBody int64
	// JournalSize is how many entries /_mock/journal keeps (default 1000).
	JournalSize int
	// Transport sends the forwarded requests (default: a clone of
	// http.DefaultTransport).
	Transport http.RoundTripper
	// Logger receives a line per exchange with findings (default: none).
	Logger *slog.Logger
	// Recorder, when set, receives every exchange, redacted.
	Recorder *Recorder
}

// Proxy is an http.Handler that forwards and validates.
type Proxy struct {
	cfg      Config
	rp       *httputil.ReverseProxy
	journal  *Journal
	coverage *coverage.Set
	log      *slog.Logger
}

// New builds a Proxy.
func New(cfg Config) (*Proxy, error) {
	if cfg.Target == nil || (cfg.Target.Scheme != "http" && cfg.Target.Scheme != "https") || cfg.Target.Host == "" {
		return nil, errors.New("proxy: the target must be an http(s) URL with a host")
	}
	if cfg.Validator == nil {
		return nil, errors.New("proxy: no validator")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.SpecName == "" {
		cfg.SpecName = "fruxon.yaml"
	}
	if cfg.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Keep a connection per concurrent client: net/http's default of
		// 2 idle ones per host makes a busy proxy dial on most requests.
		t.MaxIdleConnsPerHost = 256
		cfg.Transport = t
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Proxy{cfg: cfg, journal: newJournal(cfg.JournalSize), coverage: coverage.New(cfg.SpecName, cfg.Validator), log: log}
	target := cfg.Target
	p.rp = &httputil.ReverseProxy{
		// Path, query, headers and body go out as the client sent them;
		// only Host becomes the target's, as a virtual host needs.
		Rewrite:        func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
		Transport:      cfg.Transport,
		BufferPool:     &bufferPool{},
		ModifyResponse: p.checkResponse,
		ErrorHandler:   p.targetError,
	}
	return p, nil
}

// Journal is the proxy's journal (its summary counts every exchange).
func (p *Proxy) Journal() *Journal { return p.journal }

// Coverage is the proxy's coverage counter.
func (p *Proxy) Coverage() *coverage.Set { return p.coverage }

// exchange is what one request learns on its way through.
type exchange struct {
	start    time.Time
	op       *validator.Operation
	vreq     *http.Request // the request as validated (its body replayable)
	reqBody  []byte
	reqOver  bool
	red      redactor
	entry    Entry
	respHead http.Header
	respBody []byte
	respOver bool
}

type ctxKey struct{}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.serveOwn(w, r) {
		return
	}
	ex := &exchange{start: time.Now()}
	ex.entry = Entry{Time: ex.start.UnixMilli(), Method: r.Method, Path: r.URL.Path, Findings: []validator.Finding{}}
	if s := session(r); s != "" {
		ex.entry.Session = &s
	}
	p.checkRequest(r, ex)
	rw := &statusWriter{ResponseWriter: w}
	p.rp.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), ctxKey{}, ex)))
	p.finish(r, ex, rw.status)
}

func session(r *http.Request) string {
	if s := r.Header.Get(SessionHeader); s != "" {
		return s
	}
	if !strings.Contains(r.URL.RawQuery, "session=") {
		return ""
	}
	return r.URL.Query().Get("session")
}

// checkRequest routes the request to its operation and validates it on a
// copy, so what is forwarded is exactly what the client sent.
func (p *Proxy) checkRequest(r *http.Request, ex *exchange) {
	body, over, err := readCapped(r.Body, p.cfg.MaxBody)
	if err != nil {
		ex.entry.Notes = append(ex.entry.Notes, "the request body could not be read: "+err.Error())
	}
	ex.reqBody, ex.reqOver = body, over
	if r.Body != nil && r.Body != http.NoBody {
		rest := r.Body
		r.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), rest}
	}
	ex.red.headerSecrets(r.Header)
	if len(body) > 0 {
		ex.red.JSON(body)
	}
	if strings.HasPrefix(r.URL.Path, "/_mock/") {
		return // the mock's control plane: not part of the contract
	}
	op, _, err := p.cfg.Validator.Match(r.Method, r.URL.Path)
	if err != nil {
		ex.entry.Findings = append(ex.entry.Findings, validator.Finding{In: "path", Message: err.Error()})
		return
	}
	ex.op = op
	ex.entry.OperationID = &op.ID
	vr := r.Clone(r.Context())
	vr.Body = io.NopCloser(bytes.NewReader(body))
	vr.GetBody = nil
	ex.vreq = vr
	if over {
		ex.entry.Notes = append(ex.entry.Notes, fmt.Sprintf("request body over %d bytes: not validated", p.cfg.MaxBody))
		return
	}
	for _, f := range p.cfg.Validator.ValidateRequest(vr, op) {
		ex.entry.Findings = append(ex.entry.Findings, redacted(f, &ex.red))
	}
}

// redacted is f with any secret of the exchange masked in its message.
func redacted(f validator.Finding, red *redactor) validator.Finding {
	f.Message = red.text(f.Message)
	return f
}

// checkResponse validates the target's answer (ModifyResponse); under
// Strict a violation replaces it with a 502 problem.
func (p *Proxy) checkResponse(resp *http.Response) error {
	ex, _ := resp.Request.Context().Value(ctxKey{}).(*exchange)
	if ex == nil {
		return nil
	}
	ex.entry.TargetStatus = resp.StatusCode
	ex.respHead = resp.Header.Clone()
	if streaming(resp.Header) {
		ex.entry.Notes = append(ex.entry.Notes, "a streamed answer ("+resp.Header.Get("Content-Type")+"): body not validated")
		return nil
	}
	body, over, err := readCapped(resp.Body, p.cfg.MaxBody)
	rest := resp.Body
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(body), rest), rest}
	if err != nil {
		ex.entry.Notes = append(ex.entry.Notes, "the answer's body could not be read: "+err.Error())
		return nil
	}
	ex.respBody, ex.respOver = body, over
	if over {
		ex.entry.Notes = append(ex.entry.Notes, fmt.Sprintf("answer body over %d bytes: not validated", p.cfg.MaxBody))
		return nil
	}
	if ex.op == nil {
		return nil
	}
	decoded, err := decodedBody(resp.Header, body)
	if err != nil {
		ex.entry.Notes = append(ex.entry.Notes, "the answer's body could not be decoded: "+err.Error())
		return nil
	}
	fs := p.cfg.Validator.ValidateResponse(ex.vreq, ex.op, resp.StatusCode, resp.Header, decoded)
	if len(fs) == 0 {
		return nil
	}
	ex.entry.Violation = true
	for _, f := range fs {
		ex.entry.Findings = append(ex.entry.Findings, redacted(f, &ex.red))
	}
	if p.cfg.Strict {
		resp.Body.Close()
		p.strictAnswer(resp, ex, fs)
	}
	return nil
}

// strictAnswer turns resp into a 502 problem naming the violation.
func (p *Proxy) strictAnswer(resp *http.Response, ex *exchange, fs validator.Findings) {
	pr := validator.NewProblem(http.StatusBadGateway, ex.red.text(fmt.Sprintf(
		"the target's %d answer to %s %s (%s) violates the contract: %s",
		resp.StatusCode, resp.Request.Method, resp.Request.URL.Path, ex.op.ID, fs.String())))
	pr.Title = "Response validation failed"
	pr.Instance = resp.Request.URL.Path
	pr.Errors = map[string][]string{}
	for k, v := range fs.Errors() {
		for _, m := range v {
			pr.Errors[k] = append(pr.Errors[k], ex.red.text(m))
		}
	}
	setProblem(resp, pr)
}

// targetError answers when the target gave no answer: a 502 problem that
// names the URL and the reason, journaled as such.
func (p *Proxy) targetError(w http.ResponseWriter, r *http.Request, err error) {
	ex, _ := r.Context().Value(ctxKey{}).(*exchange)
	u := *r.URL
	u.RawQuery = ""
	msg := fmt.Sprintf("the target did not answer %s %s: %v", r.Method, u.String(), rootCause(err))
	if errors.Is(err, context.Canceled) {
		msg = fmt.Sprintf("the client went away before the target answered %s %s", r.Method, u.String())
	}
	if ex != nil {
		msg = ex.red.text(msg)
		ex.entry.Error = msg
	}
	pr := validator.NewProblem(http.StatusBadGateway, msg)
	pr.Title = "Target unreachable"
	pr.Instance = r.URL.Path
	writeProblem(w, pr)
}

// rootCause drops url.Error's repetition of method and URL.
func rootCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// finish journals, logs, counts and records the exchange.
func (p *Proxy) finish(r *http.Request, ex *exchange, status int) {
	e := &ex.entry
	e.Status = status
	e.DurationMs = float64(time.Since(ex.start).Microseconds()) / 1000
	if ex.op != nil && e.TargetStatus != 0 {
		sess := ""
		if e.Session != nil {
			sess = *e.Session
		}
		// A mock behind the proxy marks the answers Prefer or a stub forced.
		forced := ex.respHead.Get(scenarios.ForcedHeader) != ""
		if forced {
			p.coverage.RecordForced(sess, ex.op, e.TargetStatus)
		} else {
			p.coverage.RecordOp(sess, ex.op, e.TargetStatus)
		}
		if !forced && e.TargetStatus == http.StatusOK && strings.HasSuffix(ex.op.Path, ":run") {
			if run, ok := coverage.RunFromBody(ex.respBody); ok {
				p.coverage.RecordRun(sess, run)
			}
		}
	}
	p.journal.record(*e)
	if len(e.Findings) > 0 || e.Error != "" {
		fs := make([]string, len(e.Findings))
		for i, f := range e.Findings {
			fs[i] = f.String()
		}
		p.log.Warn("exchange breaks the contract", "method", e.Method, "path", e.Path, "operation", opName(e),
			"status", e.TargetStatus, "findings", strings.Join(fs, "; "), "error", e.Error)
	}
	if p.cfg.Recorder != nil && e.TargetStatus != 0 && !ex.reqOver && !ex.respOver {
		p.cfg.Recorder.add(r, ex)
	}
}

func opName(e *Entry) string {
	if e.OperationID == nil {
		return ""
	}
	return *e.OperationID
}

package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// MaxRecordedSteps bounds one recorded scenario; later exchanges of its
// session are not recorded (the proxy logs it once).
const MaxRecordedSteps = 1000

// Recorder turns proxied exchanges into scenario files that replay runs:
// one scenario per session (the X-Fruxon-Mock-Session header; "default"
// without one), rewritten after every exchange so a killed proxy loses
// nothing. Values the server minted (ids, ETags, timestamps) are captured
// into variables where later steps reuse them; volatile values are matched
// loosely; secrets are never written.
type Recorder struct {
	dir, prefix string

	mu sync.Mutex
	// guards recs and err
	recs map[string]*recording
	err  error
}

type recording struct {
	name, file string
	steps      []recStep
	full       bool
}

// recStep is one exchange, secrets already redacted.
type recStep struct {
	op     string
	method string
	path   string
	query  url.Values
	header map[string]string // request headers worth replaying
	body   any               // JSON request body (nil: none or raw)
	raw    *string           // a request body that isn't JSON
	noAuth bool
	status int
	etag   string
	retry  bool
	resp   any // JSON answer (nil: not JSON)
	empty  bool
}

// NewRecorder writes into dir (created if missing); prefix starts every
// scenario's name ("recorded" when empty).
func NewRecorder(dir, prefix string) (*Recorder, error) {
	if prefix == "" {
		prefix = "recorded"
	}
	if !safeName.MatchString(prefix) {
		return nil, fmt.Errorf("record: scenario name prefix %q must match %s", prefix, safeName)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	return &Recorder{dir: dir, prefix: prefix, recs: map[string]*recording{}}, nil
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// Files lists the scenario files written so far.
func (rec *Recorder) Files() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []string
	for _, r := range rec.recs {
		out = append(out, r.file)
	}
	return out
}

// Err is the first error writing a file met (nil: all written).
func (rec *Recorder) Err() error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.err
}

// replayedHeaders are the request headers a recorded step sends again;
// the rest are the client's business (replay sets Accept, Authorization
// and its own session).
var replayedHeaders = []string{"If-Match", "If-None-Match", "Prefer", "X-Fruxon-Mock-Scenario"}

func (rec *Recorder) add(r *http.Request, ex *exchange) {
	if ex.op == nil {
		return // not an API operation: nothing replay could check
	}
	st := recStep{op: ex.op.ID, method: r.Method, path: r.URL.Path, query: r.URL.Query(), header: map[string]string{}, status: ex.entry.TargetStatus}
	st.query.Del("session")
	for _, h := range replayedHeaders {
		if v := r.Header.Get(h); v != "" {
			st.header[h] = v
		}
	}
	st.noAuth = r.Header.Get("Authorization") == "" && r.Header.Get("X-Api-Key") == ""
	if len(ex.reqBody) > 0 {
		var red redactor
		if b, ok := red.JSON(ex.reqBody); ok && jsonType(r.Header.Get("Content-Type")) {
			st.body, _ = decodeJSON(b)
		} else {
			raw := ex.red.text(string(ex.reqBody))
			st.raw = &raw
			if ct := r.Header.Get("Content-Type"); ct != "" {
				st.header["Content-Type"] = ct
			}
		}
	}
	st.etag = ex.respHead.Get("ETag")
	st.retry = ex.respHead.Get("Retry-After") != ""
	body, err := decodedBody(ex.respHead, ex.respBody)
	switch {
	case err != nil:
	case len(body) == 0:
		st.empty = true
	case jsonType(ex.respHead.Get("Content-Type")):
		var red redactor
		if b, ok := red.JSON(body); ok {
			st.resp, _ = decodeJSON(b)
		}
	}
	sess := "default"
	if ex.entry.Session != nil {
		sess = *ex.entry.Session
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rc := rec.recs[sess]
	if rc == nil {
		name := rec.prefix + "-" + sanitize(sess)
		rc = &recording{name: name, file: filepath.Join(rec.dir, name+".yaml")}
		rec.recs[sess] = rc
	}
	if len(rc.steps) >= MaxRecordedSteps {
		rc.full = true
		return
	}
	rc.steps = append(rc.steps, st)
	if err := writeFile(rc); err != nil && rec.err == nil {
		rec.err = err
	}
}

func jsonType(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func sanitize(s string) string {
	s = unsafeChars.ReplaceAllString(s, "-")
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

// writeFile rewrites a recording's scenario file (through a temporary
// file, so a reader never sees half of it).
func writeFile(rc *recording) error {
	tmp, err := os.CreateTemp(filepath.Dir(rc.file), ".recording-*")
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	werr := emit(tmp, rc.name, rc.steps)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("record %s: %w", rc.file, werr)
	}
	return os.Rename(tmp.Name(), rc.file)
}

// Emit writes steps as one scenario (for tests and tools).
func emit(w io.Writer, name string, steps []recStep) error {
	doc := buildScenario(name, steps)
	b, err := marshalYAML(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// jsonNumber is how a recorded JSON number is written back.
func jsonNumber(n json.Number) any {
	if i, err := n.Int64(); err == nil {
		return i
	}
	f, _ := n.Float64()
	return f
}

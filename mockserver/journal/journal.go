// Package journal keeps the last requests the mock answered, for a
// developer to see what their app sent and how the mock judged it. It is a
// bounded ring. What it lists holds no header value, body or query string,
// so it can't carry a secret; an entry's Exchange keeps the raw headers and
// bodies for the detail view, which must redact them before they leave.
package journal

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/fruxon/fruxon-mock/validator"
)

// DefaultSize is how many entries a journal keeps when not told otherwise.
const DefaultSize = 1000

// Entry is one answered request, in the control plane's JournalEntry shape.
type Entry struct {
	// ID numbers entries in the order they were recorded, from 1; a
	// cleared journal does not restart it, so it works as a cursor.
	ID int64 `json:"id"`
	// Time is when the request arrived, epoch milliseconds.
	Time       int64    `json:"time"`
	TraceID    string   `json:"traceId"`
	Method     string   `json:"method"`
	Path       string   `json:"path"`
	Status     int      `json:"status"`
	DurationMs float64  `json:"durationMs"`
	Tenant     *string  `json:"tenant"`
	Scenario   *string  `json:"scenario"`
	Findings   Findings `json:"findings"`
	Violation  bool     `json:"violation"`
	// Session is the session the request named (X-Fruxon-Mock-Session
	// or a token's session claim); nil for the shared default state.
	Session *string `json:"session"`
	// OperationID is the spec operation the request matched, if any.
	OperationID *string `json:"operationId"`
	// SessionNote says that this request created its session, and why
	// (e.g. the previous one was evicted); nil otherwise.
	SessionNote *string `json:"sessionNote,omitempty"`
	// Example says the operation has no behaviour in the mock yet, and the
	// spec's example answered it.
	Example bool `json:"example,omitempty"`
	// Capture is what verification compares; never listed.
	Capture *Capture `json:"-"`
	// Exchange is the raw exchange, for the detail view; never listed,
	// nil when not kept (the control plane's own calls).
	Exchange *Exchange `json:"-"`
}

// MaxBody is how much of each body an Exchange keeps.
const MaxBody = 64 << 10

// Exchange is an exchange as it went over the wire: headers and the first
// MaxBody bytes of each body. It holds secrets in the clear, so it is only
// ever shown redacted. Nothing writes to it once recorded.
type Exchange struct {
	// Query is the raw query string.
	Query          string
	RequestHeader  http.Header
	ResponseHeader http.Header
	Request        Body
	Response       Body
}

// Body is the start of a body and how long the whole was.
type Body struct {
	Bytes []byte
	// Size is the whole body's length as read or written.
	Size int64
	// Truncated says Bytes stops short of Size.
	Truncated bool
}

// Capture is what POST /_mock/verify compares of a request beyond its
// method and path. It holds no secret in the clear: the body is sealed
// under the server's key (verification opens it and replaces every auth
// parameter and credential key with a digest before comparing), and the
// values of Authorization, X-API-KEY, Cookie and Proxy-Authorization are
// kept only as SHA-256 digests.
type Capture struct {
	// SealedBody is the raw body, sealed; "" when there was none or it
	// was not kept, and then BodyNote says why.
	SealedBody string
	BodyNote   string
	// Header maps lower-case header names to their first value.
	Header map[string]string
}

// Finding is one finding of an entry: a contract finding, and the kind of
// thing it says about the exchange.
type Finding struct {
	validator.Finding
	// Kind is KindViolation, KindRefusal or KindNote.
	Kind string
}

// Kinds of finding: what a dashboard shows as the contract broken, as a
// request refused the way the contract says, or as a note.
const (
	// KindViolation: the exchange breaks the contract (the request fails
	// validation against the spec, or the answer does).
	KindViolation = "violation"
	// KindRefusal: why a request the spec accepts was refused as the
	// contract declares (a 401 or 403 reason, a business rule's 400).
	KindRefusal = "refusal"
	// KindNote: nothing is broken, but worth knowing (a stored secret too
	// short or too common to be redacted wherever it shows).
	KindNote = "note"
)

// Findings are an entry's findings. They keep the control plane's Finding
// shape on the wire, {where, kind, message, field}: where is the side,
// field is null when there is none, and In is not listed.
type Findings []Finding

// wireFinding is a finding in the control plane's Finding shape.
type wireFinding struct {
	Where   validator.Side `json:"where"`
	Kind    string         `json:"kind"`
	Message string         `json:"message"`
	Field   *string        `json:"field"`
}

// MarshalJSON writes the findings in the control plane's shape; none is [].
func (fs Findings) MarshalJSON() ([]byte, error) {
	if len(fs) == 0 {
		return []byte("[]"), nil // most entries: no need to reflect
	}
	out := make([]wireFinding, len(fs))
	for i := range fs {
		out[i] = wireFinding{Where: fs[i].Side, Kind: fs[i].Kind, Message: fs[i].Message}
		if fs[i].Field != "" {
			out[i].Field = &fs[i].Field
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads findings in the control plane's shape.
func (fs *Findings) UnmarshalJSON(b []byte) error {
	var in []wireFinding
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*fs = make(Findings, len(in))
	for i, w := range in {
		(*fs)[i] = Finding{Finding: validator.Finding{Side: w.Where, Message: w.Message}, Kind: w.Kind}
		if w.Field != nil {
			(*fs)[i].Field = *w.Field
		}
	}
	return nil
}

// Filter selects entries in List; zero fields select everything.
type Filter struct {
	// PathPrefix keeps entries whose path starts with it.
	PathPrefix string
	// Status keeps entries answered with it.
	Status int
	// Limit caps how many entries are returned.
	Limit int
	// Session keeps entries of that session; NoSession keeps those of
	// the shared default state.
	Session   string
	NoSession bool
	// OperationID keeps entries of that operation.
	OperationID string
	// Since keeps entries recorded after the one with that ID.
	Since int64
}

// Journal is a bounded ring of entries, safe for concurrent use.
type Journal struct {
	mu sync.Mutex
	// guards ring, next and full
	ring []Entry // grows up to size, then wraps
	size int
	next int  // where the next entry goes
	full bool // whether ring has wrapped
}

// New returns a journal that keeps the last size entries (DefaultSize when
// size is not positive).
func New(size int) *Journal {
	if size <= 0 {
		size = DefaultSize
	}
	return &Journal{size: size}
}

// Size is how many entries the journal keeps.
func (j *Journal) Size() int { return j.size }

// Record adds an entry, dropping the oldest when the ring is full. The
// entry's findings are copied.
func (j *Journal) Record(e Entry) {
	e.Findings = append(Findings(nil), e.Findings...)
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.full && j.next == len(j.ring) {
		j.ring = append(j.ring, e) // memory grows with use, up to size
	} else {
		j.ring[j.next] = e
	}
	j.next++
	if j.next == j.size {
		j.next, j.full = 0, true
	}
}

// List returns the entries f selects, newest first. It never returns nil.
func (j *Journal) List(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.next
	if j.full {
		n = len(j.ring)
	}
	out := []Entry{}
	for i := 0; i < n; i++ {
		e := j.ring[(j.next-1-i+len(j.ring))%len(j.ring)]
		if f.Since > 0 && e.ID <= f.Since {
			break // newest first, and IDs grow: the rest are older
		}
		if f.PathPrefix != "" && !strings.HasPrefix(e.Path, f.PathPrefix) {
			continue
		}
		if f.Status != 0 && e.Status != f.Status {
			continue
		}
		if f.Session != "" && (e.Session == nil || *e.Session != f.Session) || f.NoSession && e.Session != nil {
			continue
		}
		if f.OperationID != "" && (e.OperationID == nil || *e.OperationID != f.OperationID) {
			continue
		}
		e.Findings = append(Findings{}, e.Findings...)
		out = append(out, e)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out
}

// Get returns the entry with that ID, if the journal still holds it.
func (j *Journal) Get(id int64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range j.ring {
		if e.ID == id && id != 0 {
			e.Findings = append(Findings{}, e.Findings...)
			return e, true
		}
	}
	return Entry{}, false
}

// Clear removes every entry.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring = nil
	j.next, j.full = 0, false
}

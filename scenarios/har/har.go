// Package har validates recorded browser traffic — a HAR 1.2 file, what
// browser devtools export — against the contract (issue 14): every entry
// whose method and path match an operation of the spec is checked on both
// sides with the project's validator, and each finding names the entry,
// the side, the JSON path and the rule.
package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// File is the part of a HAR 1.2 document the checker reads.
type File struct {
	Version string
	// Entries are the exchanges, each decoded on its own so a bad one is
	// reported by its index without losing the rest.
	Entries []Entry
}

// Entry is one exchange of the log. Err says why it could not be read.
type Entry struct {
	Index    int
	Request  Request  `json:"request"`
	Response Response `json:"response"`
	Err      error    `json:"-"`
}

// Request is a HAR request.
type Request struct {
	Method   string      `json:"method"`
	URL      string      `json:"url"`
	Headers  []NameValue `json:"headers"`
	PostData *PostData   `json:"postData"`
}

// Response is a HAR response; Status 0 means none was received.
type Response struct {
	Status  int         `json:"status"`
	Headers []NameValue `json:"headers"`
	Content Content     `json:"content"`
}

// NameValue is a HAR header or query pair.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// PostData is a request body.
type PostData struct {
	MimeType string  `json:"mimeType"`
	Text     *string `json:"text"`
}

// Content is a response body; Text is absent when the browser did not
// keep it, and base64 when Encoding says so.
type Content struct {
	Size     int64   `json:"size"`
	MimeType string  `json:"mimeType"`
	Text     *string `json:"text"`
	Encoding string  `json:"encoding"`
}

// InputError says why a file is not a usable HAR at all.
type InputError struct{ Reason string }

func (e *InputError) Error() string { return e.Reason }

// Parse reads a HAR document. A file that isn't JSON or has no
// log.entries array is an *InputError; an entry that doesn't have the HAR
// shape keeps its index and an Err, and the others are read.
func Parse(data []byte) (*File, error) {
	var doc struct {
		Log *struct {
			Version string            `json:"version"`
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, &InputError{jsonProblem(data, err)}
	}
	if doc.Log == nil {
		return nil, &InputError{"not a HAR file: it has no \"log\" object"}
	}
	if doc.Log.Entries == nil {
		return nil, &InputError{"not a HAR file: log has no \"entries\" array"}
	}
	f := &File{Version: doc.Log.Version}
	for i, raw := range doc.Log.Entries {
		e := Entry{}
		if err := json.Unmarshal(raw, &e); err != nil {
			e = Entry{Err: errors.New(entryProblem(err))}
		} else if e.Request.Method == "" || e.Request.URL == "" {
			e.Err = errors.New("request.method and request.url are required")
		}
		e.Index = i
		f.Entries = append(f.Entries, e)
	}
	return f, nil
}

// jsonProblem places a syntax error by line and column.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(data, se.Offset)
		return fmt.Sprintf("not JSON: line %d, column %d: %v", line, col, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("not a HAR file: %s must not be a JSON %s", te.Field, te.Value)
	}
	return "not JSON: " + err.Error()
}

func entryProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must not be a JSON %s", te.Field, te.Value)
	}
	return err.Error()
}

func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}

// header returns the first value of a header (case-insensitive).
func header(hs []NameValue, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

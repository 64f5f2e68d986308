package mockserver

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRecover: a panicking handler answers a 500 problem with the trace id
// and the panic is logged; the server stays up.
func TestRecover(t *testing.T) {
	var logs bytes.Buffer
	s, err := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h := s.withRecover(withTrace(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 500 || p["traceId"] == "" || p["traceId"] != rec.Header().Get("X-Trace-Id") {
		t.Fatalf("%d %s (%v)", rec.Code, rec.Body, err)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Fatal("panic not logged")
	}
}

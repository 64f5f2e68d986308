package mockserver_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/validator"
)

// TestBodyOpsDeclare413And415 sends a wrong Content-Type and an oversize
// body to every operation that reads a body (publishConfig and verifyConfigAuth
// included: they take none, but a client may send one): each answers the
// 415 or 413 problem its operation declares, never a 500.
func TestBodyOpsDeclare413And415(t *testing.T) {
	ex := requestExamples(t)
	w := newBodyWorld(t, ex)
	v, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	big := []byte(`{"displayName":"` + strings.Repeat("x", 5000) + `"}`)
	for _, op := range bodyOps {
		o := v.Operation(op.id)
		for _, status := range []int{413, 415} {
			if !o.Declares(status) {
				t.Errorf("%s does not declare %d", op.id, status)
			}
		}
		type try struct {
			name, contentType string
			body              []byte
			chunked           bool
			want              int
		}
		tries := []try{
			{"malformed charset", `application/json; charset="`, []byte(`{}`), false, 415},
			{"latin1", "application/json; charset=latin1", []byte(`{}`), false, 415},
			{"oversize", "application/json", big, false, 413},
		}
		if op.id != "publishConfig" && op.id != "verifyConfigAuth" { // these two read no body unless asked
			tries = append(tries,
				try{"text/plain", "text/plain", []byte(`{}`), false, 415},
				try{"oversize, chunked", "application/json", big, true, 413})
		}
		for _, tr := range tries {
			req := w.request(op.method, op.path, tr.contentType, tr.body)
			if tr.chunked {
				req.ContentLength = -1
				req.Body = io.NopCloser(strings.NewReader(string(tr.body)))
			}
			rec := httptest.NewRecorder()
			w.srv.ServeHTTP(rec, req)
			if rec.Code != tr.want || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s, %s: %d %s, want a %d problem: %.300s", op.id, tr.name, rec.Code, rec.Header().Get("Content-Type"), tr.want, rec.Body)
				continue
			}
			if fs := v.ValidateResponse(w.request(op.method, op.path, tr.contentType, nil), o, rec.Code, rec.Header(), rec.Body.Bytes()); len(fs) > 0 {
				t.Errorf("%s, %s: the %d answer violates the spec: %v", op.id, tr.name, rec.Code, fs)
			}
		}
	}
}

// TestBodylessOpsIgnoreBody sends a body with a malformed Content-Type,
// and one nested too deep, to every operation of both specs that reads no
// body (declares no 415): the body is ignored, so the answer is never a
// 5xx and always one the operation declares (it was a 500: a 415 or a 400
// the operation does not declare, turned into a 500 by response
// validation).
func TestBodylessOpsIgnoreBody(t *testing.T) {
	ex := requestExamples(t)
	w := newBodyWorld(t, ex)
	api, err := validator.Fruxon()
	if err != nil {
		t.Fatal(err)
	}
	control, err := validator.ControlPlane()
	if err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("{tenant}", "acme", "{integration}", "crm", "{config}", "{config}", "{tool}", "list_contacts",
		"{revision}", "1", "{name}", "nope", "{id}", "nope")
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	tried := 0
	for _, v := range []*validator.Validator{api, control} {
		for _, o := range v.Operations() {
			if o.Declares(415) || o.Method == "DELETE" && o.ID == "deleteIntegration" {
				continue
			}
			tried++
			for _, tr := range []struct{ contentType, body string }{{`application/json; charset="`, "0"}, {"application/json", deep}, {"application/json", `"` + strings.Repeat("x", 5000) + `"`}} {
				req := w.request(o.Method, fill.Replace(o.Path), tr.contentType, []byte(tr.body))
				rec := httptest.NewRecorder()
				w.srv.ServeHTTP(rec, req)
				if rec.Code >= 500 {
					t.Errorf("%s with body %.20q (%s): %d %.300s", o.ID, tr.body, tr.contentType, rec.Code, rec.Body)
					continue
				}
				check := w.request(o.Method, fill.Replace(o.Path), tr.contentType, nil)
				if fs := v.ValidateResponse(check, o, rec.Code, rec.Header(), rec.Body.Bytes()); len(fs) > 0 {
					t.Errorf("%s with body %.20q (%s): the %d answer breaks the spec: %v", o.ID, tr.body, tr.contentType, rec.Code, fs)
				}
			}
		}
	}
	if tried < 20 {
		t.Fatalf("only %d body-less operations tried", tried)
	}
}

package mockserver

import (
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

// TestFastRouterAgreesWithMux: for every operation of both specs, its path
// with each parameter set to plain, encoded, colon-bearing, slash-bearing,
// empty and dotted values, with trailing and doubled slashes, under every
// method, fastRouter takes a request only when mux routes it to the same
// operation with the same path variables (and leaves the rest to mux).
func TestFastRouterAgreesWithMux(t *testing.T) {
	s, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.routes()
	if err != nil {
		t.Fatal(err)
	}
	f := h.(*fastRouter)
	if f.off {
		t.Fatal("fastRouter is off for the embedded specs")
	}
	values := []string{"acme", "crm", "3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14", "a:b", "a%3Ab", "a%2Fb", "a%20b", "%C3%A9", "x.json",
		".", "..", "a:publish", ":publish", "a.b", "-", "_"}
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
	var paths []string
	for _, v := range append(s.api.Operations(), s.control.Operations()...) {
		for _, value := range values {
			p := templateParam.ReplaceAllString(v.Path, value)
			paths = append(paths, p, p+"/", strings.Replace(p, "/", "//", 2), strings.TrimSuffix(p, ":publish"), p+":publish", p+"/x")
		}
		paths = append(paths, templateParam.ReplaceAllString(v.Path, ""))
	}
	// Operations that share a path, and values substituted in a path with
	// no parameter, give the same path many times: each is compared once.
	seen := map[string]bool{}
	taken, compared, missed := 0, 0, 0
	for _, p := range paths {
		if seen[p] {
			continue
		}
		seen[p] = true
		for _, m := range methods {
			u, err := url.ParseRequestURI(p)
			if err != nil {
				continue
			}
			r := httptest.NewRequest(m, "http://localhost"+u.RequestURI(), nil)
			compared++
			rt, vals := f.match(r.Method, r.URL.Path)
			var match mux.RouteMatch
			muxOK := f.next.Match(r, &match) && match.Route != nil
			if rt == nil {
				if muxOK && cleanAsMux(r.URL.Path) {
					missed++
				}
				continue
			}
			taken++
			if !muxOK {
				t.Errorf("%s %s: fastRouter routes it to %s, mux to nothing (%v)", m, p, rt.name, match.MatchErr)
				continue
			}
			vars := rt.vars(&vals)
			if name := match.Route.GetName(); name != rt.name || !maps.Equal(vars, match.Vars) {
				t.Errorf("%s %s: fastRouter routes it to %s %v, mux to %s %v", m, p, rt.name, vars, name, match.Vars)
			}
			// What pathVar reads off the exchange is mux's value.
			for name, want := range match.Vars {
				if got := rt.value(&vals, name); got != want {
					t.Errorf("%s %s: variable %s reads %q, mux has %q", m, p, name, got, want)
				}
			}
		}
	}
	if missed > 0 {
		t.Errorf("%d requests mux routes were left to mux: fastRouter saves nothing on them", missed)
	}
	if taken < 200 || compared < 2000 {
		t.Fatalf("%d requests compared, %d taken by fastRouter: the test proves little", compared, taken)
	}
	t.Logf("%d requests compared, %d taken by fastRouter, all as mux routes them", compared, taken)
}

// TestEncodedSlashStaysInItsSegment: a path value with an encoded slash
// ("%2F77", valid for receiveWebhook's string parameters) is routed as one
// segment to its operation, never cleaned into a redirect or a 405.
func TestEncodedSlashStaysInItsSegment(t *testing.T) {
	s, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "http://localhost/v1/tenants/acme/webhooks/%2F77/x/x", strings.NewReader("null"))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if op := s.api.Operation("receiveWebhook"); !op.Declares(w.Code) || w.Code == 405 {
		t.Fatalf("answered %d (%s), want a status receiveWebhook declares", w.Code, w.Body)
	}
}

// TestUndeclared415AnswersDeclared400: receiveWebhook declares no 415, so a
// Content-Type it can't take is its declared 400.
func TestUndeclared415AnswersDeclared400(t *testing.T) {
	s, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "http://localhost/v1/tenants/acme/webhooks/x/x/x", strings.NewReader("null"))
	r.Header.Set("Content-Type", "text/plain")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 400 {
		t.Fatalf("answered %d (%s), want 400", w.Code, w.Body)
	}
}

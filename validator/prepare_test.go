package validator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi-validator/cache"
)

var embeddedSpecs = map[string][]byte{"fruxon": FruxonSpec(), "control-plane": ControlPlaneSpec()}

// TestEmbeddedSpecsCompile is what lets Fruxon() and ControlPlane() skip
// their documents' checks and compile on first use: each embedded
// document passes every check New makes (YAML, OpenAPI 3.1 validity, every
// schema compiles), its trusted build compiles no schema up front, and,
// once warmed up, holds exactly the fast paths New's eager build holds,
// every lazy schema compiling.
func TestEmbeddedSpecsCompile(t *testing.T) {
	t.Parallel()
	for name, spec := range embeddedSpecs {
		eager := eagerValidator(t, name) // New: every check passes, every schema compiles
		lazy, err := build(spec, true)
		if err != nil {
			t.Fatalf("%s trusted: %v", name, err)
		}
		if n := cacheLen(libOf(lazy).schemas); n != 0 {
			t.Errorf("%s: the trusted build compiled %d schemas up front", name, n)
		}
		for _, op := range lazy.ops {
			if op.ready.Load() {
				t.Errorf("%s %s: prepared before its first use", name, op.ID)
			}
		}
		lazy.WarmUp()
		if cacheLen(libOf(lazy).schemas) == 0 {
			t.Fatalf("%s: WarmUp compiled nothing", name)
		}
		schemas := 0
		for i, op := range lazy.ops {
			want := eager.ops[i]
			if got, exp := shape(op), shape(want); got != exp {
				t.Errorf("%s %s: lazy\n%s\neager\n%s", name, op.ID, got, exp)
			}
			for _, ls := range op.lazySchemas() {
				schemas++
				if ls.get() == nil {
					t.Errorf("%s %s: a schema does not compile", name, op.ID)
				}
			}
		}
		if schemas < 10 {
			t.Fatalf("%s: only %d schemas; the test proves little", name, schemas)
		}
	}
}

func cacheLen(c cache.SchemaCache) int {
	n := 0
	c.Range(func(uint64, *cache.SchemaCacheEntry) bool { n++; return true })
	return n
}

// shape describes an operation's compiled fast paths.
func shape(op *Operation) string {
	op.prepare()
	var b strings.Builder
	fmt.Fprintf(&b, "params fast=%v n=%d;", op.paramsFast, len(op.fastParams))
	for _, p := range op.fastParams {
		fmt.Fprintf(&b, " %s/%s kind=%d schema=%v walk=%v", p.in, p.name, p.kind, p.schema != nil, p.walk != nil)
	}
	fmt.Fprintf(&b, "\nrequest %v walks %v", sortedKeys(op.reqSchemas), sortedKeys(op.reqWalks))
	codes := sortedKeys(op.responses)
	for _, c := range codes {
		d := op.responses[c]
		fmt.Fprintf(&b, "\n%s: %v walks %v", c, sortedKeys(d.schemas), sortedKeys(d.walks))
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestFirstUseConcurrent hammers the first use of every operation of a
// fresh trusted validator from many goroutines at once (valid and broken
// requests and responses); each verdict is the eager validator's, and
// `go test -race` finds no race in the compilation on first use.
func TestFirstUseConcurrent(t *testing.T) {
	t.Parallel()
	for name, spec := range embeddedSpecs {
		eager := eagerValidator(t, name)
		lazy, err := build(spec, true, WithResponseCache(0))
		if err != nil {
			t.Fatal(err)
		}
		type exchange struct {
			op     int
			status int    // 0: a request
			body   []byte // request or response body
			header http.Header
		}
		var cases []exchange
		for i, op := range eager.ops {
			var reqBody []byte
			if modelOf(op).op.RequestBody != nil && modelOf(op).op.RequestBody.Content != nil {
				if media, ok := modelOf(op).op.RequestBody.Content.Get("application/json"); ok {
					reqBody, _ = mediaExample(media, "")
				}
			}
			for _, b := range [][]byte{reqBody, []byte(`{"zzzExtra":1}`), []byte(`{`)} {
				cases = append(cases, exchange{op: i, body: b})
			}
			for _, status := range op.DeclaredStatuses() {
				ct, body, header, ok := op.Example(status, "")
				if !ok || len(body) == 0 {
					continue
				}
				header.Set("Content-Type", ct)
				for _, b := range [][]byte{body, []byte(`{"zzzExtra":1}`), []byte(`[]`)} {
					cases = append(cases, exchange{op: i, status: status, body: b, header: header})
				}
			}
		}
		run := func(v *Validator, c exchange) Findings {
			op := v.ops[c.op]
			path := pathParam.ReplaceAllString(op.Path, "00000000-0000-4000-8000-000000000000")
			var r *http.Request
			if c.body != nil && c.status == 0 {
				r = httptest.NewRequest(op.Method, path, strings.NewReader(string(c.body)))
				r.Header.Set("Content-Type", "application/json")
			} else {
				r = httptest.NewRequest(op.Method, path, nil)
			}
			if c.status == 0 {
				return v.ValidateRequest(r, op)
			}
			return v.ValidateResponse(r, op, c.status, c.header.Clone(), c.body)
		}
		want := make([]Findings, len(cases))
		for i, c := range cases {
			want[i] = run(eager, c)
		}
		const workers = 16
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				<-start
				order := slices.Clone(cases)
				// Each worker starts elsewhere, so first uses collide.
				k := w * len(order) / workers
				order = append(order[k:], order[:k]...)
				for _, c := range order {
					got := run(lazy, c)
					i := slices.IndexFunc(cases, func(x exchange) bool {
						return x.op == c.op && x.status == c.status && string(x.body) == string(c.body)
					})
					if !reflect.DeepEqual(got, want[i]) {
						t.Errorf("%s %s status %d body %s: lazy %v, eager %v", name, lazy.ops[c.op].ID, c.status, c.body, got, want[i])
					}
				}
			})
		}
		close(start)
		wg.Wait()
		if len(cases) < 50 {
			t.Fatalf("%s: only %d exchanges; the test proves little", name, len(cases))
		}
	}
}

package integrations

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// slowDecode is what the handler did before DecodeCreateIntegration, and
// still does when it answers !ok.
func slowDecode(data []byte) (CreateIntegrationInput, error) {
	var in CreateIntegrationInput
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&in)
	return in, err
}

// plain strings need no escape in JSON.
var plain = []string{"", "a", "region", "Data residency region", "é 中文 🙂", "x-api-key", "{}", "a'b"}

// checkDecode fails t when the fast decoder decides data differently from
// encoding/json, and reports whether it decided.
func checkDecode(t *testing.T, data []byte) bool {
	t.Helper()
	fast, ok := DecodeCreateIntegration(data)
	if !ok {
		return false
	}
	slow, err := slowDecode(data)
	if err != nil {
		t.Fatalf("fast path took a body encoding/json refuses (%v):\n%s", err, data)
	}
	if !reflect.DeepEqual(fast, slow) {
		f, _ := json.Marshal(fast)
		s, _ := json.Marshal(slow)
		t.Fatalf("decoded differently:\n%s\nfast %s\nslow %s", data, f, s)
	}
	return true
}

// TestDecodeCreateIntegrationMatchesDecoder: over random integrations'
// metadata (every field, nil, empty and full lists, every number form),
// written by json.Marshal and by hand with the variants encoding/json
// treats specially, the fast decoder either agrees with encoding/json to
// the last nil or declines.
func TestDecodeCreateIntegrationMatchesDecoder(t *testing.T) {
	if !checkDecode(t, []byte(LoadCreateBody)) {
		t.Fatal("the load test's create body is not decoded on the fast path")
	}
	r := rand.New(rand.NewPCG(5, 6))
	taken := 0
	for range appendRounds {
		// Strings from tricky carry escapes and bad bytes, which the fast
		// path leaves to encoding/json; plain ones it must take.
		strs := tricky
		if r.IntN(2) == 0 {
			strs = plain
		}
		var in CreateIntegrationInput
		fill(r, strs, reflect.ValueOf(&in).Elem(), 0)
		data, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if checkDecode(t, data) {
			taken++
		} else if strs[0] == plain[0] && !bytes.Contains(data, []byte(`\`)) {
			t.Fatalf("the fast path declined a plain body:\n%s", data)
		}
		// The same body spaced out, and with one key in another case.
		checkDecode(t, bytes.ReplaceAll(data, []byte(`,"`), []byte(" ,\n\t\"")))
		checkDecode(t, bytes.Replace(data, []byte(`"name"`), []byte(`"Name"`), 1))
	}
	if taken < appendRounds/8 {
		t.Fatalf("the fast path took only %d of %d random bodies", taken, appendRounds)
	}
	declined := []string{
		``, `null`, `[]`, `{"id":"a"} {}`, `{"id":"a","id":"b"}`, `{"ID":"a"}`, `{"id":"\u0061"}`, "{\"id\":\"\xff\"}",
		`{"extra":1}`, `{"configMetadata":{"parametersMetadata":[{"index":1.0}]}}`,
		`{"configMetadata":{"parametersMetadata":[{"index":99999999999999999999}]}}`,
		`{"configMetadata":{"parametersMetadata":[{"name":null}]}}`,
		`{"configMetadata":{"parametersMetadata":[{"jsonSchema":[]}]}}`,
		`{"configMetadata":{"parametersMetadata":[{"jsonSchema":{"a":1e999}}]}}`,
		`{"configMetadata":{"authMetadata":[{"authSettings":{"parameters":{"a":"1","a":"2"}}}]}}`,
		`{"configMetadata":{"authMetadata":[{"authMap":null}]}}`,
		`{"configMetadata":{"parametersMetadata":[{"integerRange":{"min":01}}]}}`,
	}
	for _, body := range declined {
		if _, ok := DecodeCreateIntegration([]byte(body)); ok {
			t.Errorf("fast path took %s", body)
		}
	}
	taken2 := []string{
		`{}`, ` {"id" : "a" } `, `{"id":null,"configMetadata":null}`,
		`{"configMetadata":{"parametersMetadata":[{"jsonSchema":{"a":[1,-0.5e3,true,null,{"b":"c"}],"a":2}}]}}`,
		`{"configMetadata":{"parametersMetadata":[{"floatRange":{"min":-0,"max":1E+2},"integerRange":{"min":-0,"max":null}}]}}`,
		`{"configMetadata":{"authMetadata":[],"parametersMetadata":null}}`,
	}
	for _, body := range taken2 {
		if !checkDecode(t, []byte(body)) {
			t.Errorf("fast path declined %s", body)
		}
	}
}

// FuzzDecodeCreateIntegration: on any bytes the fast decoder agrees with
// encoding/json or declines.
func FuzzDecodeCreateIntegration(f *testing.F) {
	f.Add(LoadCreateBody)
	f.Add(`{"configMetadata":{"parametersMetadata":[{"jsonSchema":{"a":[1,-0.5e3,true,null,{"b":"c"}]}}]}}`)
	f.Add(strings.ReplaceAll(LoadCreateBody, `"`, ` " `))
	f.Fuzz(func(t *testing.T, body string) {
		checkDecode(t, []byte(body))
	})
}

func BenchmarkDecodeCreateIntegration(b *testing.B) {
	data := []byte(LoadCreateBody)
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			slowDecode(data)
		}
	})
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			DecodeCreateIntegration(data)
		}
	})
}

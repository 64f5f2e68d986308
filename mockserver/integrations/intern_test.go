package integrations

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/secretbox"
)

// template is metadata as a client sends it, fresh on every call (decoded
// from JSON, as a handler does), so equal metadata never shares memory by
// accident.
func template(t testing.TB, edit func(string) string) *ConfigMetadata {
	t.Helper()
	text := `{"parametersMetadata":[
	  {"name":"region","type":"String","required":true,"displayName":"Region","options":[{"value":"eu","displayName":"Europe"},{"value":"us"}]},
	  {"name":"limit","type":"Integer","integerRange":{"min":1,"max":500},"defaultValue":"100"},
	  {"name":"ratio","type":"Float","floatRange":{"min":0,"max":1}},
	  {"name":"extra","type":"Json","jsonSchema":{"type":"object","maxProperties":3}}],
	 "authMetadata":[{"id":"api-key","type":"API_KEY","sensitivity":"SECRET","supportedLevels":["APPLICATION"],
	  "authSettings":{"parameters":{"headerName":"X-Api-Key"}},
	  "parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}]}]}`
	if edit != nil {
		text = edit(text)
	}
	var md ConfigMetadata
	if err := json.Unmarshal([]byte(text), &md); err != nil {
		t.Fatal(err)
	}
	return &md
}

func internStore(t testing.TB) *Store {
	t.Helper()
	box, err := secretbox.NewRandom()
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{Box: box})
}

func createWith(t testing.TB, s *Store, id string, md *ConfigMetadata) {
	t.Helper()
	if _, _, err := s.CreateIntegration("t1", CreateIntegrationInput{ID: &id, ConfigMetadata: md}); err != nil {
		t.Fatal(err)
	}
}

// stored is the record's metadata as kept, not a copy.
func stored(t testing.TB, s *Store, id string) ConfigMetadata {
	t.Helper()
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.integration("test", "t1", id)
	if err != nil {
		t.Fatal(err)
	}
	return r.it.ConfigMetadata
}

func shares(a, b ConfigMetadata) (params, auth bool) {
	return &a.ParametersMetadata[0] == &b.ParametersMetadata[0], &a.AuthMetadata[0] == &b.AuthMetadata[0]
}

// TestEqualMetadataIsShared: integrations with equal metadata keep one copy
// of each list, across stores too; metadata that differs anywhere, even
// where a looser equality would not see it, gets its own.
func TestEqualMetadataIsShared(t *testing.T) {
	s1, s2 := internStore(t), internStore(t)
	createWith(t, s1, "a", template(t, nil))
	createWith(t, s1, "b", template(t, nil))
	createWith(t, s2, "c", template(t, nil))
	a := stored(t, s1, "a")
	for _, id := range []string{"b", "c"} {
		s := s1
		if id == "c" {
			s = s2
		}
		if p, au := shares(a, stored(t, s, id)); !p || !au {
			t.Errorf("%s: parameters shared %v, auth methods shared %v; want both", id, p, au)
		}
	}

	for name, edit := range map[string]func(string) string{
		"a description": func(s string) string {
			return strings.Replace(s, `"displayName":"Region"`, `"displayName":"Region","description":"x"`, 1)
		},
		"minus zero":      func(s string) string { return strings.Replace(s, `"floatRange":{"min":0`, `"floatRange":{"min":-0`, 1) },
		"a schema number": func(s string) string { return strings.Replace(s, `"maxProperties":3`, `"maxProperties":3.5`, 1) },
		"option order": func(s string) string {
			return strings.Replace(s, `{"value":"eu","displayName":"Europe"},{"value":"us"}`, `{"value":"us"},{"value":"eu","displayName":"Europe"}`, 1)
		},
		"a null vs absent": func(s string) string {
			return strings.Replace(s, `"defaultValue":"100"`, `"defaultValue":"100","uiHint":""`, 1)
		},
		"a setting":         func(s string) string { return strings.Replace(s, `"X-Api-Key"`, `"X-API-Key"`, 1) },
		"an extra level":    func(s string) string { return strings.Replace(s, `["APPLICATION"]`, `["APPLICATION","USER"]`, 1) },
		"secret flag false": func(s string) string { return strings.Replace(s, `"secret":true`, `"secret":false`, 1) },
	} {
		id := strings.ReplaceAll(name, " ", "-")
		createWith(t, s1, id, template(t, edit))
		got := stored(t, s1, id)
		p, au := shares(a, got)
		wantParams := mustMarshal(t, got.ParametersMetadata) == mustMarshal(t, a.ParametersMetadata)
		wantAuth := mustMarshal(t, got.AuthMetadata) == mustMarshal(t, a.AuthMetadata)
		if p != wantParams || au != wantAuth {
			t.Errorf("%s: parameters shared %v (want %v), auth methods shared %v (want %v)", name, p, wantParams, au, wantAuth)
		}
		if p == au {
			t.Errorf("%s: the edit should change exactly one list", name)
		}
	}
}

func mustMarshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSharedMetadataStaysPut: changing one integration that shares its
// metadata (PATCH, a caller mutating what it was given or what it got
// back, delete) leaves the others' metadata as it was, byte for byte.
func TestSharedMetadataStaysPut(t *testing.T) {
	s := internStore(t)
	in := template(t, nil)
	createWith(t, s, "a", in)
	createWith(t, s, "b", template(t, nil))
	want, _, err := s.GetIntegration("t1", "b")
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := mustMarshal(t, want)
	check := func(step string) {
		t.Helper()
		got, _, err := s.GetIntegration("t1", "b")
		if err != nil {
			t.Fatal(err)
		}
		if g := mustMarshal(t, got); g != wantJSON {
			t.Fatalf("after %s, b changed:\n got %s\nwant %s", step, g, wantJSON)
		}
	}

	// The caller's input, mutated after the create.
	in.ParametersMetadata[0].Options[0].Value = "mutated"
	*in.ParametersMetadata[1].IntegerRange.Max = 1
	in.AuthMetadata[0].AuthSettings.Parameters["headerName"] = "mutated"
	in.ParametersMetadata[3].JSONSchema["type"] = "mutated"
	check("mutating the create input")

	// A returned copy, mutated.
	got, _, _ := s.GetIntegration("t1", "a")
	got.ConfigMetadata.ParametersMetadata[0].Name = "mutated"
	*got.ConfigMetadata.ParametersMetadata[2].FloatRange.Max = 7
	got.ConfigMetadata.AuthMetadata[0].SupportedLevels[0] = "mutated"
	got.ConfigMetadata.AuthMetadata[0].ParametersMetadata[0].Secret = false
	check("mutating a returned integration")

	// A PATCH of a's metadata, then of b's own to the same as a's new one.
	md := template(t, func(s string) string { return strings.Replace(s, `"Region"`, `"Zone"`, 1) })
	if _, _, err := s.UpdateIntegration("t1", "a", UpdateIntegrationInput{ConfigMetadata: md}, ""); err != nil {
		t.Fatal(err)
	}
	check("patching a")
	if a, _, _ := s.GetIntegration("t1", "a"); !strings.Contains(mustMarshal(t, a), `"Zone"`) {
		t.Fatal("the patch of a did not apply")
	}
	md.ParametersMetadata[0].Name = "mutated" // the PATCH input, after the call
	check("mutating the patch input")

	// Configs of a keep working against a's metadata; b's secrets stay secret.
	if _, _, err := s.CreateConfig("t1", "b", CreateConfigInput{Parameters: map[string]any{"region": "eu"},
		Auth: &AuthInput{IntegrationAuthMetadataID: "api-key", Parameters: map[string]any{"apiKey": "sk-CANARY"}}}, ""); err != nil {
		t.Fatal(err)
	}
	if c, err := s.ListConfigs("t1", "b", Paging{Size: 0, Cursor: ""}); err != nil || strings.Contains(mustMarshal(t, c), "CANARY") {
		t.Fatalf("config of b: %v %s", err, mustMarshal(t, c))
	}
	if err := s.DeleteIntegration("t1", "a", ""); err != nil {
		t.Fatal(err)
	}
	check("deleting a")
}

// TestSharedMetadataRoundTrip: a snapshot of integrations that share
// metadata restores to the same document, and the restored integrations
// share again.
func TestSharedMetadataRoundTrip(t *testing.T) {
	s := internStore(t)
	for i := range 3 {
		createWith(t, s, fmt.Sprintf("i%d", i), template(t, nil))
	}
	doc := mustMarshal(t, s.Snapshot(nil))
	var back map[string]Section
	if err := json.Unmarshal([]byte(doc), &back); err != nil {
		t.Fatal(err)
	}
	s2 := New(Options{Box: s.box})
	f := core.Findings{}
	p := s2.Prepare(f, back)
	if err := f.Err("Restore"); err != nil {
		t.Fatal(err)
	}
	s2.Commit(p, nil)
	if again := mustMarshal(t, s2.Snapshot(nil)); again != doc {
		t.Fatalf("round trip differs:\n%s\n%s", doc, again)
	}
	if p, au := shares(stored(t, s, "i0"), stored(t, s2, "i2")); !p || !au {
		t.Errorf("restored metadata not shared: parameters %v, auth methods %v", p, au)
	}
}

// TestInternTableForgets: once no integration holds a list, the table
// drops it, so deleted integrations' metadata do not pile up.
func TestInternTableForgets(t *testing.T) {
	s := internStore(t)
	mark := fmt.Sprintf("forget-%d", time.Now().UnixNano())
	before := paramLists.size()
	marked := func() (n int) {
		paramLists.mu.Lock()
		defer paramLists.mu.Unlock()
		for _, b := range paramLists.buckets {
			for _, e := range b {
				if p := e.first.Value(); p != nil && p.DisplayName != nil && strings.HasPrefix(*p.DisplayName, mark) {
					n++
				}
			}
		}
		return n
	}
	for i := range 50 {
		md := template(t, func(s string) string {
			return strings.Replace(s, `"displayName":"Region"`, fmt.Sprintf(`"displayName":"%s-%d"`, mark, i), 1)
		})
		createWith(t, s, fmt.Sprintf("i%d", i), md)
	}
	// Counted by their mark: other tests' lists may be collected meanwhile.
	if n := marked(); n != 50 {
		t.Fatalf("table holds %d of the 50 lists", n)
	}
	for i := range 50 {
		if err := s.DeleteIntegration("t1", fmt.Sprintf("i%d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		n := marked()
		paramLists.mu.Lock()
		entries := 0
		for _, b := range paramLists.buckets {
			entries += len(b)
		}
		paramLists.mu.Unlock()
		if n == 0 && entries <= before+5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d deleted lists still live, %d entries (were %d before)", n, entries, before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHashAgreesWithEqual: values equalExact deems equal hash alike (maps
// in any order); a sample of unequal ones hash apart.
func TestHashAgreesWithEqual(t *testing.T) {
	sum := func(v any) uint64 {
		var h maphash.Hash
		h.SetSeed(internSeed)
		hashValue(&h, reflect.ValueOf(v))
		return h.Sum64()
	}
	m1 := map[string]any{}
	m2 := map[string]any{}
	for i := range 50 {
		m1[fmt.Sprint("k", i)] = float64(i)
		m2[fmt.Sprint("k", 49-i)] = float64(49 - i)
	}
	equal := [][2]any{
		{m1, m2},
		{*template(t, nil), *template(t, nil)},
		{[]string{}, []string{}},
	}
	for _, c := range equal {
		if !equalExact(reflect.ValueOf(c[0]), reflect.ValueOf(c[1])) || sum(c[0]) != sum(c[1]) {
			t.Errorf("%v and %v: want equal with one hash", c[0], c[1])
		}
	}
	negZero := 0.0
	negZero = -negZero
	unequal := [][2]any{
		{0.0, negZero},
		{map[string]any{"a": 1.0}, map[string]any{"a": json.Number("1")}},
		{map[string]any{"a": 1.0}, map[string]any{"b": 1.0}},
		{[]string(nil), []string{}},
		{(*string)(nil), new(string)},
		{[]string{"ab", "c"}, []string{"a", "bc"}},
	}
	for _, c := range unequal {
		if equalExact(reflect.ValueOf(c[0]), reflect.ValueOf(c[1])) {
			t.Errorf("%#v and %#v: want unequal", c[0], c[1])
		}
		if sum(c[0]) == sum(c[1]) {
			t.Errorf("%#v and %#v: same hash", c[0], c[1])
		}
	}
}

// TestInternOddValues: a Go caller may put values JSON cannot hold in a
// schema map; interning them neither panics nor shares them.
func TestInternOddValues(t *testing.T) {
	odd := func() []ParameterMetadata {
		return []ParameterMetadata{{Name: "x", JSONSchema: map[string]any{"f": func() {}, "c": make(chan int)}}}
	}
	a, b := paramLists.intern(odd()), paramLists.intern(odd())
	if &a[0] == &b[0] {
		t.Error("lists holding functions were shared")
	}
}

func ptr[T any](v T) *T { return &v }

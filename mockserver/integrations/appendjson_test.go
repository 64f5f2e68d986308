package integrations

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// tricky holds the strings json.Marshal escapes in every way it does.
var tricky = []string{"", "plain", `quote " and \ back`, "<b>&amp;</b>", "tab\tnew\nline\rret", "\b\f\x00\x01\x1f\x7f",
	"é ü 中文 🙂", "\u2028 and \u2029", "bad \xff byte", "cut \xe2\x82", "\xed\xa0\x80 surrogate", "ends in \\"}

// randomValue makes a value as a JSON decoder would, now and then one it
// wouldn't (an int, a []string) for the fallback.
func randomValue(r *rand.Rand, depth int) any {
	switch n := r.IntN(12); {
	case n == 0:
		return nil
	case n <= 3:
		return tricky[r.IntN(len(tricky))]
	case n == 4:
		return r.IntN(2) == 0
	case n <= 6:
		return randomFloat(r)
	case n == 7 && depth < 3:
		return randomObject(r, depth+1)
	case n == 8 && depth < 3:
		a := make([]any, r.IntN(4))
		for i := range a {
			a[i] = randomValue(r, depth+1)
		}
		if r.IntN(5) == 0 {
			a = nil
		}
		return a
	case n == 9:
		return r.IntN(1000) - 500
	case n == 10:
		return []string{"a", "<b>"}
	}
	return json.Number("12.50")
}

// randomFloat draws from every form json.Marshal writes a float64 in.
func randomFloat(r *rand.Rand) float64 {
	if r.IntN(2) == 0 {
		return []float64{0, math.Copysign(0, -1), 1, -1.5, 1e20, 1e21, 1e-6, 9.99e-7, 123456789.125, 1e-300, 5e-324, math.MaxFloat64, 0.1}[r.IntN(13)]
	}
	return r.NormFloat64() * math.Pow(10, float64(r.IntN(50)-25))
}

func randomObject(r *rand.Rand, depth int) map[string]any {
	if r.IntN(8) == 0 {
		return nil
	}
	m := map[string]any{}
	for range r.IntN(20) {
		m[tricky[r.IntN(len(tricky))]+string(rune('a'+r.IntN(26)))] = randomValue(r, depth)
	}
	return m
}

// fill sets v (settable) to a random value of its type: every pointer
// nil or set, every slice and map nil, empty or full, strings from strs,
// numbers of every size, map[string]any as a JSON decoder makes it.
func fill(r *rand.Rand, strs []string, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(strs[r.IntN(len(strs))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		v.SetInt(r.Int64N(1<<53) - r.Int64N(1<<53))
	case reflect.Float64:
		v.SetFloat(randomFloat(r))
	case reflect.Pointer:
		if r.IntN(3) > 0 && depth < 6 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(r, strs, v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(r, strs, v.Field(i), depth)
		}
	case reflect.Slice:
		if n := r.IntN(4); n > 0 || r.IntN(2) == 0 {
			if depth >= 6 {
				n = 0
			}
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := range n {
				fill(r, strs, v.Index(i), depth+1)
			}
		}
	case reflect.Map:
		if v.Type() == reflect.TypeFor[map[string]any]() {
			if m := randomObject(r, 1); m != nil {
				v.Set(reflect.ValueOf(m))
			}
			return
		}
		if r.IntN(4) > 0 {
			v.Set(reflect.MakeMap(v.Type()))
			for range r.IntN(4) {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fill(r, strs, k, depth+1)
				fill(r, strs, e, depth+1)
				v.SetMapIndex(k, e)
			}
		}
	case reflect.Interface:
		// map[string]any values are made by randomObject.
	default:
		panic("fill: no case for " + v.Type().String())
	}
}

// TestAppendJSONMatchesMarshal holds every AppendJSON to json.Marshal's
// bytes over random values of its type.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(what string, v interface {
		AppendJSON([]byte) ([]byte, error)
	}) {
		t.Helper()
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.AppendJSON([]byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[len("prefix"):], want) || string(got[:len("prefix")]) != "prefix" {
			t.Fatalf("%s:\n got %s\nwant %s", what, got, want)
		}
	}
	for range appendRounds {
		var it Integration
		fill(r, tricky, reflect.ValueOf(&it).Elem(), 0)
		check("integration", &it)
		var c Config
		fill(r, tricky, reflect.ValueOf(&c).Elem(), 0)
		check("config", &c)
		var ip core.Page[Integration]
		fill(r, tricky, reflect.ValueOf(&ip).Elem(), 3)
		check("page of integrations", &ip)
		var cp core.Page[Config]
		fill(r, tricky, reflect.ValueOf(&cp).Elem(), 3)
		check("page of configs", &cp)
		var rp core.Page[Revision]
		fill(r, tricky, reflect.ValueOf(&rp).Elem(), 3)
		check("page of revisions", &rp) // items without AppendJSON of their own
	}
	// A value json.Marshal refuses is refused here too.
	c := &Config{Parameters: map[string]any{"x": math.NaN()}}
	if _, err := c.AppendJSON(nil); err == nil {
		t.Fatal("a NaN parameter encoded")
	}
}

// FuzzAppendJSON: parameters decoded from any JSON and a display name of
// any bytes encode as json.Marshal encodes them.
func FuzzAppendJSON(f *testing.F) {
	f.Add(`{"region":"eu","limit":3}`, "Prod <1>")
	f.Add(`{"a":[1e21,1e-7,-0,null,{"b":"\u2028"}],"\u00e9":true}`, "bad \xff")
	f.Fuzz(func(t *testing.T, params, name string) {
		var m map[string]any
		if json.Unmarshal([]byte(params), &m) != nil {
			return
		}
		c := &Config{ID: name, DisplayName: &name, Parameters: m, AuthMapEntries: []AuthMapView{{Parameters: m}}}
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.AppendJSON(nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("got %s (%v)\nwant %s", got, err, want)
		}
	})
}

func BenchmarkConfigJSON(b *testing.B) {
	name, created := "Prod 7", "alice"
	c := &Config{ID: "3f2b9c1e5a7d4e8f9a0b1c2d3e4f5a6b", IntegrationID: "crm", DisplayName: &name,
		Parameters: map[string]any{"region": "eu", "limit": 8.0}, HasAuth: true, AuthMethodID: new(string),
		Auth:        &AuthView{Level: AuthLevelApplication, IntegrationAuthMetadataID: "api-key", GrantedScopes: []string{}},
		SandboxMode: SandboxModeNone, CreatedBy: &created, CreatedAt: 1764806400000, ModifiedAt: 1764806400000}
	b.Run("Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(c)
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.AppendJSON(make([]byte, 0, 512))
		}
	})
}

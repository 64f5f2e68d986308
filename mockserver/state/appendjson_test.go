package state

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
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
	case n == 5:
		return []float64{0, -0.0, 1, -1.5, 1e20, 1e21, 1e-6, 9.99e-7, 123456789.125, 1e-300, 5e-324, math.MaxFloat64, 0.1}[r.IntN(13)]
	case n == 6:
		return r.NormFloat64() * math.Pow(10, float64(r.IntN(50)-25))
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

func randomConfig(r *rand.Rand) *Config {
	str := func() *string {
		if r.IntN(3) == 0 {
			return nil
		}
		s := tricky[r.IntN(len(tricky))]
		return &s
	}
	c := &Config{ID: tricky[r.IntN(len(tricky))], IntegrationID: "crm", DisplayName: str(), Parameters: randomObject(r, 0),
		HasAuth: r.IntN(2) == 0, HasAuthMap: r.IntN(2) == 0, AuthMethodID: str(), SandboxMode: SandboxMode(tricky[r.IntN(len(tricky))]),
		PublishedRevisionID: str(), CreatedBy: str(), CreatedAt: r.Int64() - r.Int64(), ModifiedAt: r.Int64N(1 << 50)}
	if r.IntN(2) == 0 {
		c.Auth = &AuthView{Level: AuthLevel(tricky[r.IntN(len(tricky))]), IntegrationAuthMetadataID: "api-key"}
		if r.IntN(2) == 0 {
			c.Auth.GrantedScopes = []string{}
			for range r.IntN(3) {
				c.Auth.GrantedScopes = append(c.Auth.GrantedScopes, tricky[r.IntN(len(tricky))])
			}
		}
	}
	if r.IntN(2) == 0 {
		c.AuthMapEntries = []AuthMapView{}
		for range r.IntN(3) {
			c.AuthMapEntries = append(c.AuthMapEntries, AuthMapView{Parameters: randomObject(r, 1)})
		}
	}
	if r.IntN(3) == 0 {
		lvl := AuthLevelApplication
		c.SandboxVariant = &SandboxVariant{Parameters: randomObject(r, 1), Auth: &AuthInput{IntegrationAuthMetadataID: "<k>", Level: &lvl}}
	}
	return c
}

func TestConfigAppendJSONMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		c := randomConfig(r)
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.AppendJSON([]byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[len("prefix"):], want) || string(got[:len("prefix")]) != "prefix" {
			t.Fatalf("config %d:\n got %s\nwant %s", i, got, want)
		}
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

package scenarios_test

import (
	"net/http"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
)

func TestEchoed(t *testing.T) {
	tests := []struct {
		body   string
		header string
		want   string
	}{
		{`{"a":"x<s>y"}`, "", "body"},
		{`{"a":"x\u003cs\u003ey"}`, "", "body"},
		{`{"a":{"<s>":1}}`, "", "body"},
		{`{"a":"<t>"}`, "", ""},
		{`not json <s>`, "", "body"},
		{`{}`, "Bearer <s>", "header X-Echo"},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("X-Echo", tt.header)
		}
		if got := scenarios.Echoed("<s>", h, []byte(tt.body)); got != tt.want {
			t.Errorf("echoed in %s / %q = %q, want %q", tt.body, tt.header, got, tt.want)
		}
	}
}

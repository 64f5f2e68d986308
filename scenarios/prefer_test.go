package scenarios_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
)

func TestPrefer(t *testing.T) {
	tests := []struct {
		header      string
		wantCode    int
		wantExample string
		wantOK      bool
	}{
		{"code=404", 404, "", true},
		{"code=404, example=notFound", 404, "notFound", true},
		{`example="notFound"; code=429`, 429, "notFound", true},
		{"Code = 503 ,  Example = unavailable", 503, "unavailable", true},
		{"return=minimal, code=200", 200, "", true},
		{"", 0, "", false},
		{"example=notFound", 0, "notFound", true},
		{"example=notFound, code=abc", 0, "", false},
		{"code=abc", 0, "", false},
		{"code=99", 0, "", false},
		{"code=600", 0, "", false},
	}
	for _, tt := range tests {
		code, example, ok := scenarios.Prefer(tt.header)
		if code != tt.wantCode || example != tt.wantExample || ok != tt.wantOK {
			t.Errorf("Prefer(%q) = %d, %q, %v; want %d, %q, %v", tt.header, code, example, ok, tt.wantCode, tt.wantExample, tt.wantOK)
		}
	}
}

package core_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

func TestWeakSecret(t *testing.T) {
	for _, tt := range []struct {
		text string
		weak bool
	}{
		{"Bearer", true},
		{"eu", true},
		{"hunter2", true},
		{"password", true},
		{"Production", true},
		{"1796608059536", true},
		{"correcthorsebatterystaple", false},
		{"sk_live_canary", false},
		{"fake_at_0123456789", false},
		{"2026-12-07T01:50:00Z", false},
	} {
		if got := core.WeakSecret(tt.text) != ""; got != tt.weak {
			t.Errorf("WeakSecret(%q) = %q, want weak %v", tt.text, core.WeakSecret(tt.text), tt.weak)
		}
	}
}

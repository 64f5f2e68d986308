package core_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want core.Kind
	}{
		{"plain", errors.New("boom"), core.KindInternal},
		{"typed", &core.Error{Kind: core.KindConflict}, core.KindConflict},
		{"wrapped", fmt.Errorf("handler: %w", &core.Error{Kind: core.KindNotFound}), core.KindNotFound},
		{"kindless", &core.Error{}, core.KindInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := core.KindOf(tt.err); got != tt.want {
				t.Errorf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	cause := errors.New("cause")
	e := &core.Error{Kind: core.KindInvalid, Op: "CreateConfig", Detail: "bad", Fields: map[string][]string{
		"b": {"is required"}, "a": {"must be a string", "must be one of: x"},
	}, Err: cause}
	want := "CreateConfig: bad: a must be a string, must be one of: x; b is required: cause"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, cause) {
		t.Error("Unwrap does not reach the cause")
	}
}

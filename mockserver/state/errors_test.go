package state_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver/state"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want state.Kind
	}{
		{"plain", errors.New("boom"), state.KindInternal},
		{"typed", &state.Error{Kind: state.KindConflict}, state.KindConflict},
		{"wrapped", fmt.Errorf("handler: %w", &state.Error{Kind: state.KindNotFound}), state.KindNotFound},
		{"kindless", &state.Error{}, state.KindInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := state.KindOf(tt.err); got != tt.want {
				t.Errorf("KindOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	cause := errors.New("cause")
	e := &state.Error{Kind: state.KindInvalid, Op: "CreateConfig", Detail: "bad", Fields: map[string][]string{
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

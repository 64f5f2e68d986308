package mockserver

import "testing"

// TestEverySpecOperationAnswers: every operation of the embedded spec is
// served by a room's handler or, while it has no behaviour yet, by the
// example fallback, which needs an example of its success answer. An
// operation with neither would answer 501: a documented route must not.
func TestEverySpecOperationAnswers(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := s.apiOperations()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range s.api.Operations() {
		if _, handled := api[op.ID]; handled {
			continue
		}
		if _, _, _, ok := op.Example(successStatus(op), ""); !ok {
			t.Errorf("operation %s (%s %s) has no handler and its %d answer no example to fall back on: add behaviour to its room, or an example to the spec", op.ID, op.Method, op.Path, successStatus(op))
		}
	}
}

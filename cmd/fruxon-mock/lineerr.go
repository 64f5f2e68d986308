package main

import (
	"errors"
	"fmt"

	"github.com/fruxon/fruxon-mock/validator"
)

// fileLineError renders a spec error as "FILE:LINE: reason", the shape
// editors and CI logs link to.
func fileLineError(path string, err error) error {
	var se *validator.SpecError
	if errors.As(err, &se) {
		return fmt.Errorf("%s:%d: %s", path, se.Line, se.Reason)
	}
	return fmt.Errorf("%s: %w", path, err)
}

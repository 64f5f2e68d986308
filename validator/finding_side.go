package validator

import "fmt"

// Side is the leg of an exchange a finding is about. The zero value is the
// request: a finding made without a side is a request finding.
type Side uint8

// The two sides of an exchange.
const (
	Request Side = iota
	Response
)

func (s Side) String() string {
	if s == Response {
		return "response"
	}
	return "request"
}

// MarshalText writes the side as every wire names it: "request" or
// "response".
func (s Side) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "request" or "response".
func (s *Side) UnmarshalText(b []byte) error {
	switch string(b) {
	case "request":
		*s = Request
	case "response":
		*s = Response
	default:
		return fmt.Errorf("side %q is neither request nor response", b)
	}
	return nil
}

// String renders the finding on one line, side first, as the proxy's log
// and validate-traffic list it: "response body tags[0]: must be string, not
// number".
func (f Finding) String() string {
	s := f.Side.String()
	if f.In != "" {
		s += " " + f.In
	}
	if f.Field != "" {
		s += " " + f.Field
	}
	return s + ": " + f.Message
}

package validator

// IsResponse reports whether the finding is about a response (from
// ValidateResponse) rather than a request; the journal shows the side.
func (f Finding) IsResponse() bool { return f.kind == kindResponse }

package scenarios

import (
	"strconv"
	"strings"
)

// Prefer reads Prism's convention for asking a mock for a documented
// response: "Prefer: code=404", "Prefer: code=404, example=notFound", or
// "Prefer: example=created" (code 0: the operation's success answer).
// Preferences are separated by ',' or ';', values may be quoted, names are
// case-insensitive and other preferences are ignored. ok is false unless
// a code between 100 and 599 or an example is given (a bad code: false).
func Prefer(header string) (code int, example string, ok bool) {
	for _, part := range strings.FieldsFunc(header, func(r rune) bool { return r == ',' || r == ';' }) {
		name, value, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			continue
		}
		value = strings.TrimSpace(value)
		if uq, err := strconv.Unquote(value); err == nil && strings.HasPrefix(value, `"`) {
			value = uq
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "code":
			n, err := strconv.Atoi(value)
			if err != nil || n < 100 || n > 599 {
				return 0, "", false
			}
			code = n
		case "example":
			example = value
		}
	}
	if code == 0 && example == "" {
		return 0, "", false
	}
	return code, example, true
}

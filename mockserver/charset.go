package mockserver

import (
	"mime"
	"net/http"
	"strings"

	"github.com/fruxon/fruxon-mock/validator"
)

// badCharset answers a 415 problem when a request body's Content-Type has
// a malformed parameter (`charset="`) or names a charset other than UTF-8:
// the API reads JSON as UTF-8 only, and guessing would mis-read the body.
func badCharset(r *http.Request) *validator.Problem {
	ct := r.Header.Get("Content-Type")
	if ct == "" || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	const accepted = "accepted: no charset parameter, or charset=utf-8"
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		p := validator.NewProblem(http.StatusUnsupportedMediaType, "the Content-Type header is malformed ("+err.Error()+"); "+accepted)
		p.Errors = map[string][]string{"Content-Type": {"is not a valid media type: " + err.Error()}}
		return p
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		p := validator.NewProblem(http.StatusUnsupportedMediaType, "the Content-Type names charset "+cs+"; "+accepted)
		p.Errors = map[string][]string{"Content-Type": {"charset must be utf-8"}}
		return p
	}
	return nil
}

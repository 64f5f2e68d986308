package proxy

import "net/http"

// Recorder turns proxied exchanges into a scenario file.
type Recorder struct{}

func (rec *Recorder) add(r *http.Request, ex *exchange) {}

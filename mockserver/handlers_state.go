package mockserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/fruxon/fruxon-mock/mockserver/core"
	"github.com/fruxon/fruxon-mock/mockserver/state"
)

// handleStateExport serves GET /_mock/state: the whole state, secrets sealed.
// With a session, the session's (or, for an unknown one, what a new
// session starts from).
func (s *Server) handleStateExport(w http.ResponseWriter, r *http.Request) {
	id, sess, ok := s.controlSession(w, r, false)
	if !ok {
		return
	}
	if id == "" {
		writeJSON(w, http.StatusOK, s.store.Snapshot())
		return
	}
	writeJSON(w, http.StatusOK, s.sessionState(sess))
}

// handleStateImport serves PUT /_mock/state: the whole state is replaced,
// or, for a document that doesn't check out, nothing changes (400).
func (s *Server) handleStateImport(w http.ResponseWriter, r *http.Request) {
	id, sess, ok := s.controlSession(w, r, true)
	if !ok {
		return
	}
	var doc state.Snapshot
	if err := decodeStateDocument(r, &doc); err != nil {
		s.writeError(w, r, err)
		return
	}
	if id != "" {
		if err := s.importSession(sess, doc); err != nil {
			s.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := s.store.Restore(doc); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// decodeStateDocument decodes a state document whose every field must be
// known (its inner shape is the mock's, which the spec leaves open), once
// its version is one this server reads: a document of another version
// would only fail on the first field that moved.
func decodeStateDocument(r *http.Request, doc *state.Snapshot) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return &core.Error{Kind: core.KindInvalid, Detail: "the body could not be read: " + err.Error(),
			Fields: map[string][]string{"body": {err.Error()}}}
	}
	var head struct {
		Version *int `json:"version"`
	}
	if json.Unmarshal(body, &head) == nil && head.Version != nil {
		if err := state.CheckVersion(*head.Version); err != nil {
			return err
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(doc); err != nil {
		return &core.Error{Kind: core.KindInvalid, Detail: "the body is not a state document: " + err.Error(),
			Fields: map[string][]string{"body": {err.Error()}}}
	}
	return nil
}

package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// bare is the baseline: the same three endpoints as plain net/http JSON
// handlers over maps, with decoding and encoding but no validation, no
// middleware and no rules.
type bare struct {
	mu sync.RWMutex
	// guards integrations and configs
	integrations map[string]json.RawMessage
	configs      map[string]map[string]any
}

func newBare() http.Handler {
	b := &bare{integrations: map[string]json.RawMessage{}, configs: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/tenants/{tenant}/integrations", b.createIntegration)
	mux.HandleFunc("POST /v1/tenants/{tenant}/integrations/{integration}/configs", b.createConfig)
	mux.HandleFunc("GET /v1/tenants/{tenant}/integrations/{integration}/configs/{config}", b.getConfig)
	mux.HandleFunc("PATCH /v1/tenants/{tenant}/integrations/{integration}/configs/{config}", b.patchConfig)
	return mux
}

func (b *bare) createIntegration(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	now := time.Now().UnixMilli()
	in["type"], in["createdAt"], in["modifiedAt"], in["tags"], in["isInternal"] = "CUSTOM", now, now, []string{}, false
	out, _ := json.Marshal(in)
	b.mu.Lock()
	b.integrations[in["id"].(string)] = out
	b.mu.Unlock()
	writeBare(w, out)
}

func (b *bare) createConfig(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	var id [16]byte
	rand.Read(id[:])
	in["id"] = hex.EncodeToString(id[:])
	delete(in, "auth")
	b.mu.Lock()
	b.configs[in["id"].(string)] = in
	b.mu.Unlock()
	out, _ := json.Marshal(in)
	writeBare(w, out)
}

func (b *bare) getConfig(w http.ResponseWriter, r *http.Request) {
	b.mu.RLock()
	c, ok := b.configs[r.PathValue("config")]
	var out []byte
	if ok {
		out, _ = json.Marshal(c)
	}
	b.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeBare(w, out)
}

func (b *bare) patchConfig(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	b.mu.Lock()
	c, ok := b.configs[r.PathValue("config")]
	var out []byte
	if ok {
		for k, v := range in {
			if v != nil && !strings.HasPrefix(k, "auth") {
				c[k] = v
			}
		}
		out, _ = json.Marshal(c)
	}
	b.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeBare(w, out)
}

func writeBare(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

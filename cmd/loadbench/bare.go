package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// bare is the baseline: the endpoints the cases use as plain net/http JSON
// handlers over maps, with decoding and encoding but no validation, no
// middleware and no rules.
type bare struct {
	mu sync.RWMutex
	// guards integrations, ids and configs
	integrations map[string]map[string]any
	ids          []string // integration ids, sorted
	configs      map[string]map[string]any
}

func newBare() http.Handler {
	b := &bare{integrations: map[string]map[string]any{}, configs: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/tenants/{tenant}/integrations", b.listIntegrations)
	mux.HandleFunc("POST /v1/tenants/{tenant}/integrations", b.createIntegration)
	mux.HandleFunc("POST /v1/tenants/{tenant}/integrations/{integration}/configs", b.createConfig)
	mux.HandleFunc("GET /v1/tenants/{tenant}/integrations/{integration}/configs/{config}", b.getConfig)
	mux.HandleFunc("PATCH /v1/tenants/{tenant}/integrations/{integration}/configs/{config}", b.patchConfig)
	return mux
}

func (b *bare) listIntegrations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := strings.ToLower(q.Get("query"))
	typ, has := q.Get("type"), q.Get("hasConfigs")
	size, _ := strconv.Atoi(q.Get("pageSize"))
	if size == 0 {
		size = 50
	}
	items := []map[string]any{}
	b.mu.RLock()
	for _, id := range b.ids {
		it := b.integrations[id]
		if typ != "" && it["type"] != typ {
			continue
		}
		if has != "" && strconv.FormatBool(it["configCount"].(int) > 0) != has {
			continue
		}
		name, _ := it["displayName"].(string)
		desc, _ := it["description"].(string)
		if query != "" && !strings.Contains(strings.ToLower(id), query) && !strings.Contains(strings.ToLower(name), query) && !strings.Contains(strings.ToLower(desc), query) {
			continue
		}
		items = append(items, it)
		if len(items) == size {
			break
		}
	}
	out, _ := json.Marshal(map[string]any{"items": items, "nextPageToken": nil})
	b.mu.RUnlock()
	writeBare(w, out)
}

func (b *bare) createIntegration(w http.ResponseWriter, r *http.Request) {
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	now := time.Now().UnixMilli()
	in["type"], in["createdAt"], in["modifiedAt"], in["tags"], in["isInternal"] = "CUSTOM", now, now, []string{}, false
	id := in["id"].(string)
	b.mu.Lock()
	in["configCount"] = 0
	out, _ := json.Marshal(in)
	b.integrations[id] = in
	if i, found := slices.BinarySearch(b.ids, id); !found {
		b.ids = slices.Insert(b.ids, i, id)
	}
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
	if it := b.integrations[r.PathValue("integration")]; it != nil {
		it["configCount"] = it["configCount"].(int) + 1
	}
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
		c["modifiedAt"] = time.Now().UnixMilli()
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

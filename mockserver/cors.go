package mockserver

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// corsPolicy decides which browser origins may call the mock.
type corsPolicy struct {
	origins []string // exact origins, "*" or "http://localhost:*" style patterns
}

// DefaultCORSOrigins allows any port on localhost and 127.0.0.1, where
// frontend dev servers run.
var DefaultCORSOrigins = []string{"http://localhost:*", "http://127.0.0.1:*"}

func (p corsPolicy) allows(origin string) bool {
	if origin == "" {
		return false
	}
	for _, o := range p.origins {
		if o == "*" || o == origin {
			return true
		}
		if prefix, ok := strings.CutSuffix(o, ":*"); ok {
			u, err := url.Parse(origin)
			if err == nil && u.Scheme+"://"+u.Hostname() == prefix && u.Port() != "" && u.Path == "" {
				return true
			}
		}
	}
	return false
}

const corsAllowHeaders = "Authorization, Content-Type, If-Match, X-API-KEY, X-Request-Id, Prefer, X-Fruxon-Mock-Scenario, X-Fruxon-Mock-Session, X-Fruxon-Mock-Control-Token"
const corsExposeHeaders = "ETag, Location, Retry-After, X-Trace-Id, X-Fruxon-Mock-Violation, X-Fruxon-Mock-Reason, X-Fruxon-Mock-Forced, X-Fruxon-Mock-Answer, WWW-Authenticate"

// withCORS answers preflights and stamps CORS headers for allowed origins.
// Credentials are allowed, so the allowed origin is echoed, never "*". A
// preflight from an origin that isn't allowed gets 403 without CORS headers.
func (s *Server) withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		allowed := s.cors.allows(origin)
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			if !allowed {
				s.log.WarnContext(r.Context(), "CORS preflight refused: origin not allowed",
					slog.String("origin", origin), slog.String("allowed", strings.Join(s.cors.origins, ",")),
					slog.String("hint", "add it with --cors-origins"))
				w.Header().Set(ReasonHeader, "origin "+origin+" is not in --cors-origins ("+strings.Join(s.cors.origins, ",")+")")
				w.WriteHeader(http.StatusForbidden)
				return
			}
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		}
		next.ServeHTTP(w, r)
	})
}

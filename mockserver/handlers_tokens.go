package mockserver

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// tokenRequest is the body of POST /_mock/tokens.
type tokenRequest struct {
	Tenant     *string  `json:"tenant"`
	Tenants    []string `json:"tenants"`
	Sub        *string  `json:"sub"`
	Scopes     []string `json:"scopes"`
	TTLSeconds *int64   `json:"ttlSeconds"`
	Session    *string  `json:"session"`
}

// tokenResponse answers POST /_mock/tokens.
type tokenResponse struct {
	Token     string `json:"token"`
	ExpiresAt int64  `json:"expiresAt"`
}

// defaultTokenLifetime is a minted token's lifetime when ttlSeconds is null.
const defaultTokenLifetime = time.Hour

// handleTokenMint serves POST /_mock/tokens: an HS256 JWT signed with the
// server's JWT secret, so --auth jwt accepts it; its tenant claims bind it
// (403 elsewhere) in every auth mode but off.
// Under --auth jwt a minted token is a real credential, so minting needs
// the control token (checked by withGuard); without one it is refused.
func (s *Server) handleTokenMint(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Auth == AuthJWT && s.cfg.ControlToken == "" {
		guardProblem(w, r, http.StatusForbidden, ControlTokenHeader,
			"is not configured: under --auth jwt, minting tokens needs --control-token (and the token on this call)")
		return
	}
	var in tokenRequest
	if err := decodeJSON(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	claims, exp, err := s.tokenClaims(in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	token, err := SignHS256(s.cfg.JWTSecret, claims)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{Token: token, ExpiresAt: exp.UnixMilli()})
}

// DevTokenLifetime is how long a DevToken is good for.
const DevTokenLifetime = 24 * time.Hour

// DevToken mints a token good for every tenant for DevTokenLifetime,
// signed like POST /_mock/tokens' (with the JWT secret, or the server's
// per-process one), so every auth mode accepts it. mocktest's clients
// send it.
func (s *Server) DevToken() (string, error) {
	now := s.now()
	return SignHS256(s.cfg.JWTSecret, map[string]any{"iss": "fruxon-mock", "sub": "mocktest",
		"iat": now.Unix(), "exp": now.Add(DevTokenLifetime).Unix()})
}

// tokenClaims checks a token request beyond its schema: a tenant claim
// that is empty would read as "every tenant", so it is refused.
func (s *Server) tokenClaims(in tokenRequest) (map[string]any, time.Time, error) {
	fields := map[string][]string{}
	now := s.now()
	ttl := defaultTokenLifetime
	if in.TTLSeconds != nil {
		ttl = time.Duration(*in.TTLSeconds) * time.Second
		if ttl <= 0 || ttl > maxTokenLifetime {
			fields["ttlSeconds"] = append(fields["ttlSeconds"], "must be between 1 and 86400")
		}
	}
	exp := now.Add(ttl)
	c := map[string]any{"iss": "fruxon-mock", "iat": now.Unix(), "exp": exp.Unix()}
	if in.Tenant != nil {
		if strings.TrimSpace(*in.Tenant) == "" {
			fields["tenant"] = append(fields["tenant"], "must not be empty (omit it for a token good for every tenant)")
		}
		c["tenant"] = *in.Tenant
	}
	if in.Tenants != nil {
		if len(in.Tenants) == 0 {
			fields["tenants"] = append(fields["tenants"], "must name at least one tenant (omit it for a token good for every tenant)")
		}
		for i, t := range in.Tenants {
			if strings.TrimSpace(t) == "" {
				fields["tenants["+strconv.Itoa(i)+"]"] = append(fields["tenants["+strconv.Itoa(i)+"]"], "must not be empty")
			}
		}
		c["tenants"] = in.Tenants
	}
	if in.Sub != nil && *in.Sub != "" {
		c["sub"] = *in.Sub
	}
	if len(in.Scopes) > 0 {
		c["scope"] = strings.Join(in.Scopes, " ")
	}
	if in.Session != nil {
		if msg := sessionMessage(*in.Session); msg != "" {
			fields["session"] = append(fields["session"], msg)
		}
		c["session"] = *in.Session
	}
	if len(fields) > 0 {
		return nil, time.Time{}, &core.Error{Kind: core.KindInvalid, Detail: "the token request has invalid fields", Fields: fields}
	}
	return c, exp, nil
}

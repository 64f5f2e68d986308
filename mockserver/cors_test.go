package mockserver_test

import (
	"strings"
	"testing"

	"github.com/fruxon/fruxon-mock/mockserver"
)

func TestCORSPreflight(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	for _, tt := range []struct {
		name, origin string
		allowed      bool
	}{
		{"localhost, any port", "http://localhost:5173", true},
		{"127.0.0.1, any port", "http://127.0.0.1:3000", true},
		{"localhost without a port", "http://localhost", false},
		{"https localhost", "https://localhost:5173", false},
		{"lookalike host", "http://localhost.evil.test:5173", false},
		{"other origin", "https://app.example.com", false},
		{"opaque origin", "null", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := c.In(t)
			a := c.Do("OPTIONS", api+"/integrations/crm", "", "Authorization", "", "Origin", tt.origin,
				"Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "authorization, content-type, if-match")
			if !strings.Contains(strings.Join(a.Header.Values("Vary"), ","), "Origin") {
				t.Errorf("no Vary: Origin: %v", a.Header)
			}
			if !tt.allowed {
				if a.Status != 403 || a.Header.Get("Access-Control-Allow-Origin") != "" || a.Header.Get("Access-Control-Allow-Methods") != "" {
					t.Fatalf("refused origin got %d %v", a.Status, a.Header)
				}
				return
			}
			h := a.Header
			if a.Status != 204 || h.Get("Access-Control-Allow-Origin") != tt.origin || h.Get("Access-Control-Allow-Credentials") != "true" {
				t.Fatalf("preflight: %d %v", a.Status, h)
			}
			for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
				if !strings.Contains(h.Get("Access-Control-Allow-Methods"), m) {
					t.Errorf("Allow-Methods lacks %s", m)
				}
			}
			for _, hd := range []string{"Authorization", "Content-Type", "If-Match", "X-API-KEY"} {
				if !strings.Contains(h.Get("Access-Control-Allow-Headers"), hd) {
					t.Errorf("Allow-Headers lacks %s", hd)
				}
			}
			if h.Get("Access-Control-Max-Age") == "" {
				t.Error("no Max-Age")
			}
		})
	}
}

func TestCORSResponseHeaders(t *testing.T) {
	c, _ := start(t, mockserver.Config{})
	c.Must(200, "POST", api+"/integrations", crmIntegration)
	t.Run("allowed origin", func(t *testing.T) {
		c := c.In(t)
		for _, path := range []string{api + "/integrations/crm", "/_mock/health"} {
			a := c.Must(200, "GET", path, "", "Origin", "http://localhost:3000")
			h := a.Header
			if h.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || h.Get("Access-Control-Allow-Credentials") != "true" {
				t.Fatalf("%s: %v", path, h)
			}
			for _, e := range []string{"ETag", "X-Trace-Id", "Retry-After", "WWW-Authenticate", mockserver.ViolationHeader} {
				if !strings.Contains(h.Get("Access-Control-Expose-Headers"), e) {
					t.Errorf("%s: Expose-Headers lacks %s", path, e)
				}
			}
		}
	})
	t.Run("errors carry CORS headers too", func(t *testing.T) {
		c := c.In(t)
		a := c.Must(401, "GET", api+"/integrations", "", "Authorization", "", "Origin", "http://127.0.0.1:8081")
		if a.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:8081" {
			t.Fatalf("a 401 the browser can't read: %v", a.Header)
		}
		a = c.Must(404, "GET", api+"/integrations/nope", "", "Origin", "http://127.0.0.1:8081")
		if a.Header.Get("Access-Control-Allow-Origin") == "" {
			t.Fatal("a 404 without CORS headers")
		}
	})
	t.Run("refused origin", func(t *testing.T) {
		c := c.In(t)
		a := c.Must(200, "GET", api+"/integrations/crm", "", "Origin", "https://evil.example")
		if a.Header.Get("Access-Control-Allow-Origin") != "" || a.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("foreign origin gets CORS headers: %v", a.Header)
		}
	})
	t.Run("no origin", func(t *testing.T) {
		c := c.In(t)
		if a := c.Must(200, "GET", api+"/integrations/crm", ""); a.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatal("CORS headers without an Origin")
		}
	})
	t.Run("configured origins", func(t *testing.T) {
		c2, _ := start(t, mockserver.Config{CORSOrigins: []string{"https://app.example.com"}})
		if a := c2.Do("OPTIONS", api+"/integrations", "", "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST"); a.Status != 204 {
			t.Fatalf("configured origin refused: %d", a.Status)
		}
		if a := c2.Do("OPTIONS", api+"/integrations", "", "Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST"); a.Status != 403 {
			t.Fatalf("default origin still allowed when origins are configured: %d", a.Status)
		}
	})
}

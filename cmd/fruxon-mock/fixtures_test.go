package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fixtureV1 = `tenants:
  - name: acme
    integrations:
      - id: crm
        displayName: CRM v1
apiKeys:
  - key: acme-key
    tenants: [acme]
`

func getJSON(t *testing.T, url string, headers ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer dev")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestServeLoadsTheDefaultFixtures(t *testing.T) {
	base, _, _ := startServe(t)
	status, list := getJSON(t, base+"/v1/tenants/demo/integrations")
	if status != 200 || len(list["items"].([]any)) < 6 {
		t.Fatalf("%d %v", status, list)
	}
	base, _, _ = startServe(t, "--no-fixtures")
	if _, list := getJSON(t, base+"/v1/tenants/demo/integrations"); len(list["items"].([]any)) != 0 {
		t.Fatalf("--no-fixtures: %v", list)
	}
}

func TestServeRefusesBadFixtures(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(fixtureV1, "displayName: CRM v1", "displayName: CRM v1\n        kind: SYSTEM", 1)), 0o644)
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--fixtures", bad}, io.Discard, io.Discard)
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(ee.msg, bad+":6: tenants[0].integrations[0].kind: is not a known property") {
		t.Fatalf("serve with a bad fixture: %v", err)
	}
	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--fixtures", filepath.Join(dir, "missing.yaml")}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("serve with a missing fixture file: %v", err)
	}
}

func TestWatchReloadsFixtures(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "acme.yaml")
	if err := os.WriteFile(file, []byte(fixtureV1), 0o644); err != nil {
		t.Fatal(err)
	}
	base, logs, _ := startServe(t, "--fixtures", dir, "--watch", "--journal-size", "10")
	name := func() any {
		_, it := getJSON(t, base+"/v1/tenants/acme/integrations/crm")
		return it["displayName"]
	}
	if got := name(); got != "CRM v1" {
		t.Fatalf("before: %v", got)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s; logs:\n%s", what, logs.String())
	}
	// A bad edit is logged with its line; the old state stays.
	os.WriteFile(file, []byte(strings.Replace(fixtureV1, "- id: crm", "- id: crm\n        type: WRONG", 1)), 0o644)
	waitFor("the reload error", func() bool { return strings.Contains(logs.String(), "acme.yaml:5: tenants[0].integrations[0].type") })
	if got := name(); got != "CRM v1" {
		t.Fatalf("after a bad edit: %v", got)
	}
	// A good edit replaces the state and the API keys.
	if status, _ := getJSON(t, base+"/v1/tenants/acme/integrations", "Authorization", "", "X-API-KEY", "acme-key"); status != 200 {
		t.Fatalf("the API key before the reload: %d", status)
	}
	v2 := strings.NewReplacer("CRM v1", "CRM v2", "tenants: [acme]", "tenants: [globex]").Replace(fixtureV1)
	os.WriteFile(file, []byte(v2), 0o644)
	waitFor("the reload", func() bool { return name() == "CRM v2" })
	if status, _ := getJSON(t, base+"/v1/tenants/acme/integrations", "Authorization", "", "X-API-KEY", "acme-key"); status != 403 {
		t.Fatalf("the reloaded API key still admits acme: %d", status)
	}
	// A new file in the directory counts as a change too.
	os.WriteFile(filepath.Join(dir, "globex.json"), []byte(`{"tenants":[{"name":"globex","integrations":[{"id":"erp"}]}]}`), 0o644)
	waitFor("the new file", func() bool { s, _ := getJSON(t, base+"/v1/tenants/globex/integrations/erp"); return s == 200 })
}

const watchedScenario = `name: teapot-list
description: the integrations list answers 503 while this scenario applies
stubs:
  - request: {method: GET, path: "/v1/tenants/{tenant}/integrations"}
    problem: {status: 503, title: Service Unavailable, detail: DETAIL}
`

func TestWatchReloadsScenarios(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yaml")
	os.WriteFile(file, []byte(strings.Replace(watchedScenario, "DETAIL", "v1", 1)), 0o644)
	base, logs, _ := startServe(t, "--no-fixtures", "--scenarios", dir, "--scenario", "teapot-list", "--watch")
	detail := func() any {
		_, p := getJSON(t, base+"/v1/tenants/acme/integrations")
		return p["detail"]
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s; logs:\n%s", what, logs.String())
	}
	if got := detail(); got != "v1" {
		t.Fatalf("before: %v", got)
	}
	// A malformed edit is logged with file and line; the old stubs stay.
	os.WriteFile(file, []byte(strings.Replace(watchedScenario, "problem:", "problme:", 1)), 0o644)
	waitFor("the reload error", func() bool { return strings.Contains(logs.String(), "mine.yaml:5") })
	if got := detail(); got != "v1" {
		t.Fatalf("after a bad edit: %v", got)
	}
	// A good edit takes effect, still active.
	os.WriteFile(file, []byte(strings.Replace(watchedScenario, "DETAIL", "v2", 1)), 0o644)
	waitFor("the reload", func() bool { return detail() == "v2" })
}

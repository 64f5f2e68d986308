package sandboxroute

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"strconv"
	"strings"
)

// MatchStub returns the most specific stub that answers a run of tool on
// route: every non-empty selector must equal the run's, and a matching
// integration outweighs a tool, a tool a route, a route a tenant. Ties go
// to the earlier stub.
func MatchStub(stubs []VendorStub, tenant, integration, tool string, route Route) (VendorStub, bool) {
	best, bestScore := -1, -1
	for i, s := range stubs {
		score, ok := 0, true
		for _, sel := range []struct {
			want, got string
			weight    int
		}{
			{s.Integration, integration, 8},
			{s.Tool, tool, 4},
			{string(s.Route), string(route), 2},
			{s.Tenant, tenant, 1},
		} {
			switch {
			case sel.want == "":
			case sel.want == sel.got:
				score += sel.weight
			default:
				ok = false
			}
		}
		if ok && score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return VendorStub{}, false
	}
	return stubs[best], true
}

// stubAnswer copies a stub's response, its body brought to plain JSON
// values (fixtures may decode to other Go types).
func stubAnswer(s VendorStub) (StubResponse, error) {
	out := StubResponse{Status: s.Response.Status, Headers: maps.Clone(s.Response.Headers)}
	if out.Status == 0 {
		out.Status = 200
	}
	if out.Status < 100 || out.Status > 599 {
		return StubResponse{}, &Error{Kind: KindBadAnswer, Detail: fmt.Sprintf("the vendor stub for integration %q, tool %q answers status %d", s.Integration, s.Tool, out.Status)}
	}
	if s.Response.Body != nil {
		b, err := json.Marshal(s.Response.Body)
		if err != nil {
			return StubResponse{}, &Error{Kind: KindBadAnswer, Detail: fmt.Sprintf("the vendor stub for integration %q, tool %q has a body that is not JSON", s.Integration, s.Tool)}
		}
		out.Body, _ = decodeJSON(b)
	}
	if out.Headers == nil {
		out.Headers = map[string]string{}
	}
	if _, isText := out.Body.(string); out.Body != nil && !isText && !hasHeader(out.Headers, "Content-Type") {
		out.Headers["Content-Type"] = "application/json"
	}
	return out, nil
}

func hasHeader(h map[string]string, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// Simulate generates a tool's answer from its resultType: JSON a small
// object, STRING a string, BOOLEAN and INTEGER a value of that type. The
// same seed, tool and parameters always give the same answer.
func Simulate(seed int64, tool Tool, params map[string]any) StubResponse {
	h := fnv.New64a()
	key, _ := json.Marshal(params) // map keys sorted: canonical
	fmt.Fprintf(h, "%s\x00%s\x00%s", tool.Integration, tool.ID, key)
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	resp := StubResponse{Status: 200, Headers: map[string]string{"Content-Type": "application/json", SimulatedHeader: "true"}}
	switch tool.ResultType {
	case ResultTypeString:
		resp.Headers["Content-Type"] = "text/plain; charset=utf-8"
		resp.Body = fmt.Sprintf("simulated %s result %08x", tool.ID, rng.Uint32())
	case ResultTypeBoolean:
		resp.Body = rng.IntN(2) == 1
	case ResultTypeInteger:
		resp.Body = json.Number(strconv.Itoa(rng.IntN(1000)))
	default:
		statuses := []string{"ok", "active", "pending", "done"}
		resp.Body = map[string]any{
			"id":        fmt.Sprintf("sim_%08x", rng.Uint32()),
			"tool":      tool.ID,
			"simulated": true,
			"status":    statuses[rng.IntN(len(statuses))],
			"count":     json.Number(strconv.Itoa(rng.IntN(100))),
		}
	}
	return resp
}

// SimulatedHeader marks a generated answer in the run's response headers.
const SimulatedHeader = "X-Fruxon-Mock-Simulated"

package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"time"
)

// startup measures fruxon-mock binaries' start: from exec to the first 200
// of GET /_mock/health, polled every 5 ms, then the time of the first API
// request (a list of integrations). The binaries run
// alternately, runs times each, so load on the machine falls on all of
// them alike; it prints medians and each binary's ratio to the first.
func startup(bins []string, runs int, timeout time.Duration, out io.Writer) error {
	if len(bins) == 0 || runs < 1 {
		return fmt.Errorf("-startup needs at least one binary and -runs ≥ 1")
	}
	healthy := make([][]time.Duration, len(bins))
	first := make([][]time.Duration, len(bins))
	for range runs {
		for i, bin := range bins {
			h, f, err := startOnce(bin, timeout)
			if err != nil {
				return fmt.Errorf("%s: %w", bin, err)
			}
			healthy[i] = append(healthy[i], h)
			first[i] = append(first[i], f)
		}
	}
	fmt.Fprintf(out, "start to first healthy response (exec → 200 of /_mock/health polled every 5 ms), %d runs each, alternating:\n", runs)
	for i, bin := range bins {
		fmt.Fprintf(out, "  %-24s median %6.1f ms (min %.1f, max %.1f); first API request after it: median %.2f ms\n",
			bin, ms(median(healthy[i])), ms(slices.Min(healthy[i])), ms(slices.Max(healthy[i])), ms(median(first[i])))
	}
	for i := 1; i < len(bins); i++ {
		fmt.Fprintf(out, "  %s ÷ %s: %.2f× (first request %.2f×)\n", bins[i], bins[0],
			float64(median(healthy[i]))/float64(median(healthy[0])), float64(median(first[i]))/float64(median(first[0])))
	}
	return nil
}

// startOnce starts bin serve on a free port and returns the time to its
// first healthy answer and the time of the first API request after it.
func startOnce(bin string, timeout time.Duration) (healthy, first time.Duration, err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--log-level", "error")
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{}}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	for healthy == 0 {
		if time.Since(start) > timeout {
			return 0, 0, fmt.Errorf("not healthy after %v", timeout)
		}
		if resp, err := client.Get("http://" + addr + "/_mock/health"); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				healthy = time.Since(start)
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+api+"/integrations", nil)
	req.Header.Set("Authorization", "Bearer startup")
	t := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	first = time.Since(t)
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET %s/integrations: status %d", api, resp.StatusCode)
	}
	return healthy, first, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

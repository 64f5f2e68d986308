package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fill creates n integrations (the ≈1 KB create body) with m configs each
// through the mock's HTTP API, then reports resident memory: of process
// pid when given (a separately started fruxon-mock), else of this process,
// whose figure then includes the load generator and overstates the mock.
func fill(client *http.Client, base string, n, m, conns, pid int, out io.Writer) error {
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	next := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
	}()
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				id := fmt.Sprintf("int-%05d", i)
				if err := post(client, base+api+"/integrations", strings.Replace(createBody, `"id":"acme-crm"`, `"id":"`+id+`"`, 1)); err != nil {
					errs <- err
					return
				}
				for j := 0; j < m; j++ {
					body := fmt.Sprintf(`{"displayName":"Config %d","parameters":{"region":"eu","limit":%d},"auth":{"integrationAuthMetadataId":"api-key","parameters":{"apiKey":"sk_%d_%d"}}}`, j, j+1, i, j)
					if err := post(client, base+api+"/integrations/"+id+"/configs", body); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "%d integrations × %d configs through the API in %v\n", n, m, took.Round(time.Millisecond))
	if pid != 0 {
		rss, err := residentBytes(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "RSS of process %d: %.0f MB (target ≤ 120 MB)\n", pid, float64(rss)/(1<<20))
		return nil
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, _ := residentBytes("/proc/self/status")
	if p := os.Getenv("LOADBENCH_HEAPPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	fmt.Fprintf(out, "RSS %.0f MB (target ≤ 120 MB); Go heap after GC: %.0f MB live, %.0f MB in spans in use\n", float64(rss)/(1<<20), float64(ms.HeapAlloc)/(1<<20), float64(ms.HeapInuse)/(1<<20))
	return nil
}

func post(client *http.Client, url, body string) error {
	req, err := newReq("POST", url, body)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("POST %s: %d %s", url, resp.StatusCode, b)
	}
	return nil
}

// residentBytes reads VmRSS from a /proc status file (Linux).
func residentBytes(status string) (int64, error) {
	f, err := os.Open(status)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS")
}

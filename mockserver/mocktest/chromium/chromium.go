// Package chromium drives headless Chromium from a Go test over the
// DevTools protocol, so a test can point a real browser at the mock
// (mocktest.Start) and check what a frontend sees: its fetch calls under
// CORS, a CSP, an OAuth popup, the dashboard.
//
// Chromium is spoken to through --remote-debugging-pipe (fd 3 in, fd 4
// out, NUL-framed JSON), so nothing beyond the standard library is needed:
//
//	path := chromium.Path()
//	if path == "" {
//		t.Skip("no Chromium (apt-get install chromium, or set CHROMIUM)")
//	}
//	m := mocktest.Start(t)
//	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
//	defer cancel()
//	b := chromium.Start(t, path)
//	var created struct {
//		TargetID string `json:"targetId"`
//	}
//	b.Must(ctx, "", "Target.createTarget", map[string]any{"url": m.URL + "/_mock/ui"}, &created)
//	page := b.Attach(ctx, created.TargetID)
//	chromium.Poll(ctx, t, "the traffic list", func() bool {
//		var ok bool
//		return b.Eval(ctx, page, `!!document.querySelector("#traffic-rows")`, &ok) == nil && ok
//	})
//
// Methods and their parameters are the DevTools protocol's
// (https://chromedevtools.github.io/devtools-protocol/).
package chromium

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// Browser is a running headless Chromium. Its methods are safe for
// concurrent use. Must and Attach fail the test the Browser is bound to:
// the one that started it, or the one given to In.
type Browser struct {
	t testing.TB
	p *pipe
}

// Message is one DevTools protocol message: a command's reply (ID set)
// or an event (ID zero, Method and Params set).
type Message struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// pipe is the connection to one Chromium process, shared by every
// Browser that In makes from it.
type pipe struct {
	cmd *exec.Cmd

	wmu sync.Mutex // guards in: one frame is written at a time
	in  io.WriteCloser

	mu sync.Mutex
	// guards next, pending, closed and events
	next    int
	pending map[int]chan Message
	closed  bool
	events  []Message
}

// Path finds a Chromium binary: $CHROMIUM, else the first of chromium,
// chromium-browser, google-chrome and google-chrome-stable on $PATH; ""
// when none can be had.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start launches headless Chromium at path (with the flags that work on
// a machine without network or a display) and stops it when the test
// ends. It skips the test when the binary does not start.
func Start(t testing.TB, path string) *Browser {
	t.Helper()
	toChrome, ourIn, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ourOut, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--remote-debugging-pipe", "--user-data-dir="+t.TempDir(), "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome} // fd 3: Chromium reads; fd 4: it writes
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		toChrome.Close()
		fromChrome.Close()
		ourIn.Close()
		ourOut.Close()
		t.Skipf("Chromium at %s does not start (%v): install Debian's chromium, or set CHROMIUM", path, err)
	}
	toChrome.Close()
	fromChrome.Close()
	p := &pipe{cmd: cmd, in: ourIn, pending: map[int]chan Message{}}
	go p.read(ourOut)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		p.call(ctx, "", "Browser.close", nil, nil)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		ourIn.Close()
	})
	return &Browser{t: t, p: p}
}

// In returns b bound to t, sharing its browser: Must and Attach then
// fail t. A subtest uses it (b := b.In(t)), since a test may only fail
// from its own goroutine.
func (b *Browser) In(t testing.TB) *Browser { return &Browser{t: t, p: b.p} }

// read dispatches replies to their callers and keeps the events.
func (p *pipe) read(r io.ReadCloser) {
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		frame, err := br.ReadBytes(0)
		if err != nil {
			p.mu.Lock()
			p.closed = true
			for id, ch := range p.pending {
				close(ch)
				delete(p.pending, id)
			}
			p.mu.Unlock()
			return
		}
		var m Message
		if json.Unmarshal(frame[:len(frame)-1], &m) != nil {
			continue
		}
		p.mu.Lock()
		if m.ID == 0 {
			p.events = append(p.events, m)
			p.mu.Unlock()
			continue
		}
		ch := p.pending[m.ID]
		delete(p.pending, m.ID)
		p.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// TakeEvents returns the events received so far (from every session, in
// order) and forgets them. Events are kept from the start until taken.
func (b *Browser) TakeEvents() []Message {
	b.p.mu.Lock()
	defer b.p.mu.Unlock()
	ev := b.p.events
	b.p.events = nil
	return ev
}

// Call sends a command (to a page when session is set, to the browser
// when it is "") and decodes its result into out, unless out is nil.
// params nil sends {}. The error names the method.
func (b *Browser) Call(ctx context.Context, session, method string, params, out any) error {
	return b.p.call(ctx, session, method, params, out)
}

func (p *pipe) call(ctx context.Context, session, method string, params, out any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if params == nil {
		raw = []byte("{}")
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return fmt.Errorf("%s: the browser is gone", method)
	}
	p.next++
	id := p.next
	ch := make(chan Message, 1)
	p.pending[id] = ch
	p.mu.Unlock()
	msg, _ := json.Marshal(Message{ID: id, Method: method, Params: raw, SessionID: session})
	p.wmu.Lock()
	_, err = p.in.Write(append(msg, 0))
	p.wmu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: the browser closed the pipe", method)
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		delete(p.pending, id)
		p.mu.Unlock()
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Must is Call that fails the test on error.
func (b *Browser) Must(ctx context.Context, session, method string, params, out any) {
	b.t.Helper()
	if err := b.Call(ctx, session, method, params, out); err != nil {
		b.t.Fatal(err)
	}
}

// Attach opens a session on a target (a page from Target.createTarget,
// or one a page opened) and returns its id, for Call and Eval.
func (b *Browser) Attach(ctx context.Context, targetID string) string {
	b.t.Helper()
	var res struct {
		SessionID string `json:"sessionId"`
	}
	b.Must(ctx, "", "Target.attachToTarget", map[string]any{"targetId": targetID, "flatten": true}, &res)
	return res.SessionID
}

// Eval runs a JavaScript expression in a page and decodes its value (as
// JSON) into out, unless out is nil or the value is undefined. A promise
// is awaited. The expression runs as a user gesture, so it may open a
// popup or use the clipboard as a click would. A thrown exception is an
// error that names the expression and the exception.
func (b *Browser) Eval(ctx context.Context, session, expr string, out any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := b.Call(ctx, session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "userGesture": true, "awaitPromise": true}, &res)
	if err != nil {
		return err
	}
	if res.ExceptionDetails != nil {
		return fmt.Errorf("%s: %s %s", expr, res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	}
	if out != nil && len(res.Result.Value) > 0 {
		return json.Unmarshal(res.Result.Value, out)
	}
	return nil
}

// Poll calls f every 50 ms until it reports done, and fails t with
// "timed out waiting for " + what when ctx ends first.
func Poll(ctx context.Context, t testing.TB, what string, f func() bool) {
	t.Helper()
	for {
		if f() {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

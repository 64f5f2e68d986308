package assets

import (
	"net/http"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// The control plane's hold on ingestion (not part of the Integrations
// API): the pace new operations take, and actions on one operation.

// Pace modes.
const (
	// PaceWatch is the default: PENDING for PendingFor, RUNNING for
	// RunningFor, slow enough for a person to watch a progress bar.
	PaceWatch = "watch"
	// PaceFast ends every operation at its first read: for CI.
	PaceFast = "fast"
	// PaceManual is PaceWatch, but every new operation starts stalled:
	// it stays PENDING until the control plane moves it.
	PaceManual = "manual"
	// PaceCustom takes PendingMs and RunningMs as given.
	PaceCustom = "custom"
)

// Pace is how new ingestion operations move on the mock's clock.
type Pace struct {
	Mode    string
	Pending time.Duration
	Running time.Duration
	// Manual makes new operations start stalled.
	Manual bool
}

// PaceOf is the pace of a preset mode (watch, fast, manual).
func PaceOf(mode string) Pace {
	switch mode {
	case PaceFast:
		return Pace{Mode: PaceFast}
	case PaceManual:
		return Pace{Mode: PaceManual, Pending: PendingFor, Running: RunningFor, Manual: true}
	}
	return Pace{Mode: PaceWatch, Pending: PendingFor, Running: RunningFor}
}

// maxPhase bounds a custom pace's phases and an advance.
const maxPhase = 24 * time.Hour

// PaceView is a pace as the control plane shows and takes it.
type PaceView struct {
	Mode      string `json:"mode"`
	PendingMs *int64 `json:"pendingMs,omitempty"`
	RunningMs *int64 `json:"runningMs,omitempty"`
}

func (p Pace) view() PaceView {
	return PaceView{Mode: p.Mode, PendingMs: ptr(p.Pending.Milliseconds()), RunningMs: ptr(p.Running.Milliseconds())}
}

// ParsePace checks a pace as given (mode required; pendingMs and
// runningMs only, and both, with custom).
func ParsePace(in PaceView) (Pace, error) {
	const op = "SetIngestionPace"
	f := core.Findings{}
	var p Pace
	switch in.Mode {
	case PaceWatch, PaceFast, PaceManual:
		p = PaceOf(in.Mode)
		if in.PendingMs != nil || in.RunningMs != nil {
			f.Add("mode", "'%s' is a preset: pendingMs and runningMs go with mode 'custom'", in.Mode)
		}
	case PaceCustom:
		p.Mode = PaceCustom
		for _, m := range []struct {
			name string
			v    *int64
			dst  *time.Duration
		}{{"pendingMs", in.PendingMs, &p.Pending}, {"runningMs", in.RunningMs, &p.Running}} {
			switch {
			case m.v == nil:
				f.Add(m.name, "is required with mode 'custom'")
			case *m.v < 0 || time.Duration(*m.v)*time.Millisecond > maxPhase:
				f.Add(m.name, "must be between 0 and %d", maxPhase.Milliseconds())
			default:
				*m.dst = time.Duration(*m.v) * time.Millisecond
			}
		}
	case "":
		f.Add("mode", "is required (watch, fast, manual or custom)")
	default:
		f.Add("mode", "must be one of watch, fast, manual, custom")
	}
	return p, f.Err(op)
}

// Pace is the pace new operations take.
func (s *Store) Pace() Pace {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pace
}

// SetPace sets the pace of operations created from now on; running ones
// keep theirs (move them with Control).
func (s *Store) SetPace(p Pace) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pace = p
}

// Control actions on one operation.
const (
	ActAdvance = "advance"
	ActStall   = "stall"
	ActResume  = "resume"
	ActFail    = "fail"
	ActFinish  = "finish"
)

// ControlInput is a control action on an operation.
type ControlInput struct {
	// Action is advance, stall, resume, fail or finish.
	Action string `json:"action"`
	// ByMs is how far advance moves the operation's clock; absent: to its
	// next state (PENDING → RUNNING → its end).
	ByMs *int64 `json:"byMs,omitempty"`
	// AfterMs arms fail that much later on the operation's clock (so a
	// stall holds it too); absent or 0: it fails now.
	AfterMs *int64 `json:"afterMs,omitempty"`
	// ErrorMessage is the failure's message (fail only).
	ErrorMessage *string `json:"errorMessage,omitempty"`
}

// Control applies a control action to a pending or running operation and
// answers it as it is then. An operation that has ended, or has a cancel
// pending, is a conflict: its outcome is no longer open (a cancel signalled
// first always wins).
func (s *Store) Control(tenant, asset, id string, in ControlInput) (Operation, error) {
	const op = "ControlOperation"
	f := core.Findings{}
	checkMs := func(name string, v *int64) {
		if v != nil && (*v < 0 || time.Duration(*v)*time.Millisecond > maxPhase) {
			f.Add(name, "must be between 0 and %d", maxPhase.Milliseconds())
		}
	}
	checkMs("byMs", in.ByMs)
	checkMs("afterMs", in.AfterMs)
	for _, m := range []struct {
		name string
		set  bool
		with string
	}{{"byMs", in.ByMs != nil, ActAdvance}, {"afterMs", in.AfterMs != nil, ActFail}, {"errorMessage", in.ErrorMessage != nil, ActFail}} {
		if m.set && in.Action != m.with {
			f.Add(m.name, "goes with action '%s' only", m.with)
		}
	}
	switch in.Action {
	case ActAdvance, ActStall, ActResume, ActFail, ActFinish:
	case "":
		f.Add("action", "is required (advance, stall, resume, fail or finish)")
	default:
		f.Add("action", "must be one of advance, stall, resume, fail, finish")
	}
	if err := f.Err(op); err != nil {
		return Operation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, o, err := s.operation(op, tenant, asset, id)
	if err != nil {
		return Operation{}, err
	}
	switch {
	case o.final:
		return Operation{}, core.Errorf(core.KindConflict, op, "operation '%s' has already ended %s; its outcome is final", id, o.op.Status)
	case o.cancelAt != nil:
		return Operation{}, core.Errorf(core.KindConflict, op,
			"operation '%s' has a cancel pending: it ends CANCELLED at the mock clock's next tick; its outcome is no longer open", id)
	}
	now := s.now()
	o.rebase(now)
	switch in.Action {
	case ActAdvance:
		by := time.Duration(core.Deref(in.ByMs)) * time.Millisecond
		if in.ByMs == nil {
			if o.base < o.pending {
				by = o.pending - o.base
			} else {
				by = o.end() - o.base
			}
		}
		o.base += by
	case ActStall:
		o.stalled = true
	case ActResume:
		o.stalled = false
	case ActFail:
		o.failAt = ptr(o.base + time.Duration(core.Deref(in.AfterMs))*time.Millisecond)
		o.failMsg = strOr(in.ErrorMessage, "ingestion failed (failure injected by the mock's control plane)")
	case ActFinish:
		o.base = max(o.base, o.end())
	}
	s.settle(rec)
	return o.view(), nil
}

// ControlOperations maps the control plane's operationIds the room serves
// to their handlers. The server resolves the request's session first.
func (h *Handlers) ControlOperations() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"getIngestionPace":      h.handlePaceGet,
		"setIngestionPace":      h.handlePaceSet,
		"controlAssetOperation": h.handleControl,
	}
}

func (h *Handlers) handlePaceGet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	h.api.WriteJSON(w, http.StatusOK, store.Pace().view())
}

func (h *Handlers) handlePaceSet(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in PaceView
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	p, err := ParsePace(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	store.SetPace(p)
	h.api.WriteJSON(w, http.StatusOK, p.view())
}

func (h *Handlers) handleControl(w http.ResponseWriter, r *http.Request) {
	store, ok := h.store(w, r)
	if !ok {
		return
	}
	var in ControlInput
	if err := h.api.DecodeJSON(r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	o, err := store.Control(h.tenant(r), h.asset(r), h.api.PathVar(r, "operation"), in)
	answer(h, w, r, o, err)
}

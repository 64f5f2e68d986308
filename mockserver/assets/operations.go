package assets

import (
	"cmp"
	"slices"
	"time"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// An ingestion operation is a state machine on its own clock: PENDING for
// the pace's pending time after it was created, RUNNING for its running
// time more, then COMPLETED (FAILED when its source could not be read, or
// when the control plane armed a failure). Its clock runs with the mock's
// clock, so moving the server's clock fast-forwards it; the control plane
// can also move it alone (advance, finish now), stop it (stall, resume)
// and arm a failure at a point of its run. A cancel signal received while
// it is pending or running ends it CANCELLED from the mock clock's next
// tick on, unless the operation ended first. Its state is derived whenever
// the asset is read (settle), under the store's lock, so every answer
// agrees on which outcome won.

// startOp creates an operation and computes what it will produce from the
// asset's current source. mu must be held.
func (s *Store) startOp(tenant string, rec *assetRec, typ string, docIDs []string, createdBy string) *opRec {
	now := s.now()
	o := &opRec{created: now, anchor: now, docIDs: docIDs, pending: s.pace.Pending, running: s.pace.Running, stalled: s.pace.Manual}
	o.op = Operation{ID: s.newID(), AssetID: rec.a.ID, TenantID: tenant, Type: typ, Status: StatusPending}
	if createdBy != "" {
		o.op.CreatedBy = ptr(createdBy)
	}
	o.result, o.failure = s.ingest(rec, now)
	if docIDs != nil {
		o.result = slices.DeleteFunc(o.result, func(d *docRec) bool { return !slices.Contains(docIDs, d.d.ID) })
	}
	o.op.ItemsTotal = len(o.result)
	rec.ops = append(rec.ops, o)
	if n := len(rec.ops) - MaxOperationsPerAsset; n > 0 {
		// Forget the oldest finished operations.
		kept := rec.ops[:0]
		for _, x := range rec.ops {
			if n > 0 && x.final {
				n--
				continue
			}
			kept = append(kept, x)
		}
		rec.ops = kept
	}
	return o
}

// ingest splits the asset's source into documents and chunks, keeping the
// ids of documents it already has (by file name, or the id a declared
// source document names). Only uploaded files and declared source
// documents have content the mock can read.
func (s *Store) ingest(rec *assetRec, now time.Time) ([]*docRec, string) {
	srcs := rec.sources()
	if len(srcs) == 0 {
		// A source the mock cannot fetch, or an imported storage file (the
		// mock has no storage): nothing to index.
		return nil, ""
	}
	ms := now.UnixMilli()
	size, overlap := DefaultChunkSize, 0
	if e := rec.a.Embedding; e != nil {
		size, overlap = core.Deref(e.ChunkSize), core.Deref(e.ChunkOverlap)
	}
	var out []*docRec
	failure := ""
	for _, src := range srcs {
		id := src.id
		if id == "" {
			id = s.newID()
			for _, d := range rec.docs {
				if d.d.FileName != nil && *d.d.FileName == src.fileName {
					id = d.d.ID
				}
			}
		}
		d := &docRec{d: Document{ID: id, AssetID: rec.a.ID, FileName: ptr(src.fileName), ContentType: ptr(src.ctype),
			SourceURL: clonePtr(src.url), FileSize: int64(len(src.content)), Status: StatusPending, CreatedAt: ms, ModifiedAt: ms}}
		pieces, fail := split(src.ctype, src.fileName, src.content, size, overlap)
		for i, p := range pieces {
			p.ChunkID, p.ChunkIndex = s.newID(), i
			d.chunks = append(d.chunks, p)
		}
		d.d.ChunkCount = len(d.chunks)
		if fail != "" {
			d.d.ErrorMessage = ptr(fail)
			failure = cmp.Or(failure, fail)
		}
		out = append(out, d)
	}
	return out, failure
}

// elapsed is how far the operation's own clock is at t.
func (o *opRec) elapsed(t time.Time) time.Duration {
	if o.stalled {
		return o.base
	}
	return o.base + t.Sub(o.anchor)
}

// wallAt is when (on the mock's clock) the operation's clock reached e:
// the anchor for a point reached by the last control action (or a stall).
func (o *opRec) wallAt(e time.Duration) time.Time {
	if o.stalled || e <= o.base {
		return o.anchor
	}
	return o.anchor.Add(e - o.base)
}

// rebase makes now the anchor of the operation's clock, keeping its
// position, before a control action moves or stops it.
func (o *opRec) rebase(now time.Time) { o.base, o.anchor = o.elapsed(now), now }

// end is the point of its clock at which the operation ends: when it has
// run its course, or earlier at an armed failure.
func (o *opRec) end() time.Duration {
	total := o.pending + o.running
	if o.failAt != nil && *o.failAt < total {
		return *o.failAt
	}
	return total
}

// failing reports whether the operation ends FAILED.
func (o *opRec) failing() bool { return o.failAt != nil || o.failure != "" }

// progress is the items processed at point e of the run.
func (o *opRec) progress(e time.Duration) int {
	switch {
	case e < o.pending || o.op.ItemsTotal == 0:
		return 0
	case o.running <= 0 || e >= o.pending+o.running:
		return o.op.ItemsTotal
	}
	return int(int64(o.op.ItemsTotal) * int64(e-o.pending) / int64(o.running))
}

// settle moves an asset's operations along their clocks, applying what the
// ones that just completed produce. mu must be held.
func (s *Store) settle(rec *assetRec) {
	now := s.now()
	for _, o := range rec.ops {
		if o.final {
			continue
		}
		e, end := o.elapsed(now), o.end()
		ended := e >= end
		// A cancel signalled when the operation had already ended doesn't
		// stop it.
		if o.cancelAt != nil && ended && !o.cancelAt.Before(o.wallAt(end)) {
			o.cancelAt = nil
		}
		switch {
		case o.cancelAt != nil && now.After(*o.cancelAt):
			o.op.Status, o.final, o.op.Done = StatusCancelled, true, true
			o.op.CompletedAt = ptr(o.cancelAt.Add(time.Millisecond).UnixMilli())
			if o.op.StartedAt != nil && *o.op.StartedAt > *o.op.CompletedAt {
				o.op.StartedAt = nil // cancelled while pending: it never started
			}
			o.result = nil
		case ended:
			if o.op.StartedAt == nil {
				o.op.StartedAt = ptr(o.wallAt(min(o.pending, end)).UnixMilli())
			}
			s.finish(rec, o)
		case e >= o.pending:
			o.op.Status = StatusRunning
			if o.op.StartedAt == nil {
				o.op.StartedAt = ptr(o.wallAt(o.pending).UnixMilli())
			}
			o.op.ItemsProcessed = o.progress(e)
		default:
			o.op.Status = StatusPending
		}
	}
}

// finish ends an operation COMPLETED or FAILED, applying its documents to
// the asset; an armed failure applies none.
func (s *Store) finish(rec *assetRec, o *opRec) {
	end := o.end()
	o.final, o.op.Done, o.op.CompletedAt = true, true, ptr(o.wallAt(end).UnixMilli())
	o.op.Status = StatusCompleted
	if o.failing() {
		o.op.Status = StatusFailed
	}
	if o.failAt != nil {
		o.op.ItemsProcessed = o.progress(end)
		o.op.ErrorMessage = ptr(o.failMsg)
		o.result = nil
		return
	}
	o.op.ItemsProcessed = o.op.ItemsTotal
	if o.failure != "" {
		o.op.ErrorMessage = ptr(o.failure)
	}
	ms := *o.op.CompletedAt
	for _, d := range o.result {
		d.d.Status, d.d.ModifiedAt, d.d.ProcessedAt = StatusCompleted, ms, ptr(ms)
		if d.d.ErrorMessage != nil {
			d.d.Status = StatusFailed
		}
		o.op.ChunkCount += len(d.chunks)
		for _, c := range d.chunks {
			o.op.TokenCount += int64(c.TokenCount)
		}
	}
	o.op.Cost = float64(o.op.TokenCount) * PricePerMillionTokens / 1e6
	if o.docIDs == nil {
		// A whole-source ingestion: the index becomes what it produced.
		rec.docs = o.result
	} else {
		for _, nd := range o.result {
			for i, d := range rec.docs {
				if d.d.ID == nd.d.ID {
					nd.d.CreatedAt = d.d.CreatedAt
					rec.docs[i] = nd
				}
			}
		}
	}
	for _, d := range rec.docs {
		if d.d.FileName != nil && *d.d.FileName == rec.fileName {
			d.d.CreatedAt = min(d.d.CreatedAt, rec.a.CreatedAt)
		}
	}
	o.result = nil
	rec.ingested = true
}

// Operations answers a page of an asset's operations, newest first.
func (s *Store) Operations(tenant, asset string, pg Paging) (List[Operation], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec, err := s.asset("ListOperations", tenant, asset)
	if err != nil {
		return List[Operation]{}, err
	}
	page, next := pg.slice(len(rec.ops))
	out := List[Operation]{Items: make([]Operation, 0, len(page)), NextPageToken: next, TotalCount: len(rec.ops)}
	for _, i := range page {
		out.Items = append(out.Items, rec.ops[len(rec.ops)-1-i].view())
	}
	return out, nil
}

func (o *opRec) view() Operation {
	v := o.op
	v.StartedAt, v.CompletedAt, v.ErrorMessage, v.CreatedBy = clonePtr(v.StartedAt), clonePtr(v.CompletedAt), clonePtr(v.ErrorMessage), clonePtr(v.CreatedBy)
	return v
}

func (s *Store) operation(op, tenant, asset, id string) (*assetRec, *opRec, error) {
	_, rec, err := s.asset(op, tenant, asset)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range rec.ops {
		if o.op.ID == id {
			return rec, o, nil
		}
	}
	return nil, nil, core.Errorf(core.KindNotFound, op, "operation '%s' was not found for asset '%s'", id, asset)
}

// Operation answers one operation.
func (s *Store) Operation(tenant, asset, id string) (Operation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, o, err := s.operation("GetOperation", tenant, asset, id)
	if err != nil {
		return Operation{}, err
	}
	return o.view(), nil
}

// Cancel signals a pending or running operation to stop and answers it in
// its post-signal state (still PENDING or RUNNING until the clock moves);
// a finished one is answered unchanged.
func (s *Store) Cancel(tenant, asset, id string) (Operation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, o, err := s.operation("CancelOperation", tenant, asset, id)
	if err != nil {
		return Operation{}, err
	}
	if !o.final && o.cancelAt == nil {
		o.cancelAt = ptr(s.now())
	}
	return o.view(), nil
}

// RefreshError says a refresh was refused because another operation of
// the asset is still pending or running (rate limited).
type RefreshError struct{ Asset, Operation string }

func (e *RefreshError) Error() string {
	return "asset '" + e.Asset + "' is already being ingested by operation '" + e.Operation +
		"'; wait for it to finish, or refresh with force: true"
}

// Refresh starts a refresh of the asset's source (of documentIds only,
// when given). While another operation is pending or running it answers a
// *RefreshError, unless force, which cancels that one.
func (s *Store) Refresh(tenant, asset string, in RefreshInput, createdBy string) (Result, error) {
	const op = "RefreshAsset"
	s.mu.Lock()
	defer s.mu.Unlock()
	_, rec, err := s.asset(op, tenant, asset)
	if err != nil {
		return Result{}, err
	}
	f := core.Findings{}
	for i, id := range in.DocumentIDs {
		if !slices.ContainsFunc(rec.docs, func(d *docRec) bool { return d.d.ID == id }) {
			f.Add(core.Index("documentIds", i), "is not a document of asset '%s'", asset)
		}
	}
	if err := f.Err(op); err != nil {
		return Result{}, err
	}
	force := in.Force != nil && *in.Force
	for _, o := range rec.ops {
		if o.final || o.cancelAt != nil {
			continue
		}
		if !force {
			return Result{}, &RefreshError{Asset: asset, Operation: o.op.ID}
		}
		o.cancelAt = ptr(s.now().Add(-time.Millisecond))
	}
	s.settle(rec)
	var ids []string
	if in.DocumentIDs != nil {
		ids = slices.Clone(in.DocumentIDs)
	}
	s.startOp(tenant, rec, OpRefresh, ids, createdBy)
	rec.a.ModifiedAt = s.millis()
	return Result{Asset: s.view(rec)}, nil
}

package integrations

import (
	"hash/maphash"
	"math"
	"reflect"
	"runtime"
	"sync"
	"unsafe"
	"weak"
)

// Integrations made from one template carry equal metadata, often tens of
// thousands of times over. Stored metadata lists are therefore hash-consed:
// an integration's parametersMetadata and authMetadata (and a tool's
// parametersMetadata, through NormalizeParameters) point at one shared,
// immutable copy of each distinct
// list, found through an intern table of weak pointers (a list nobody
// stores any more is collected, and a cleanup drops its table entry). This
// is safe because stored metadata is never mutated in place: writes
// replace a record's lists whole, and every read hands out a deep copy
// (cloneIntegration, and the tools room's copies through CloneParameters).

// Lists of every store in the process share one table per element type.
var (
	paramLists = internTable[ParameterMetadata]{}
	authLists  = internTable[AuthMetadata]{}
)

// shareMetadata returns md with each list replaced by the interned equal
// one. md must be normalised and no longer be used by the caller except
// through the result.
func shareMetadata(md ConfigMetadata) ConfigMetadata {
	md.ParametersMetadata = paramLists.intern(md.ParametersMetadata)
	md.AuthMetadata = authLists.intern(md.AuthMetadata)
	return md
}

// internTable hash-conses immutable lists of E.
type internTable[E any] struct {
	mu sync.Mutex
	// guards buckets
	buckets map[uint64][]internEntry[E]
}

// internEntry is a stored list: a weak pointer to its first element, and
// its length.
type internEntry[E any] struct {
	first weak.Pointer[E]
	n     int
}

var internSeed = maphash.MakeSeed()

// intern returns a list equal to list that is shared with every other
// caller that interned an equal one; list itself is kept when it is the
// first. Empty lists keep their nil-ness and are not interned (an empty
// list costs nothing to keep). Equal means exactly equal, down to the bits
// of floats (-0 is not 0), so the shared list encodes to the same JSON.
func (t *internTable[E]) intern(list []E) []E {
	if len(list) == 0 {
		return list
	}
	var h maphash.Hash
	h.SetSeed(internSeed)
	hashValue(&h, reflect.ValueOf(list))
	key := h.Sum64()

	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.buckets[key] {
		if p := e.first.Value(); p != nil && e.n == len(list) {
			if shared := unsafe.Slice(p, e.n); equalExact(reflect.ValueOf(shared), reflect.ValueOf(list)) {
				return shared
			}
		}
	}
	if t.buckets == nil {
		t.buckets = map[uint64][]internEntry[E]{}
	}
	t.buckets[key] = append(t.buckets[key], internEntry[E]{first: weak.Make(&list[0]), n: len(list)})
	runtime.AddCleanup(&list[0], t.prune, key)
	return list
}

// prune drops the entries of bucket key whose lists were collected.
func (t *internTable[E]) prune(key uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var live []internEntry[E]
	for _, e := range t.buckets[key] {
		if e.first.Value() != nil {
			live = append(live, e)
		}
	}
	if len(live) == 0 {
		delete(t.buckets, key)
	} else {
		t.buckets[key] = live
	}
}

// size is the number of lists the table holds, for tests.
func (t *internTable[E]) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, b := range t.buckets {
		for _, e := range b {
			if e.first.Value() != nil {
				n++
			}
		}
	}
	return n
}

// hashValue feeds v into h so that values equalExact deems equal hash
// alike. Map entries are combined in an order-independent way.
func hashValue(h *maphash.Hash, v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		h.WriteByte(0)
	case reflect.Bool:
		if v.Bool() {
			h.WriteByte(1)
		} else {
			h.WriteByte(2)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		maphash.WriteComparable(h, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		maphash.WriteComparable(h, v.Uint())
	case reflect.Float32, reflect.Float64:
		maphash.WriteComparable(h, math.Float64bits(v.Float()))
	case reflect.String:
		maphash.WriteComparable(h, v.Len())
		h.WriteString(v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		h.WriteByte(1)
		if v.Kind() == reflect.Interface {
			h.WriteString(v.Elem().Type().String())
		}
		hashValue(h, v.Elem())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			h.WriteByte(0)
			return
		}
		maphash.WriteComparable(h, v.Len())
		for i := range v.Len() {
			hashValue(h, v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		var sum uint64
		for it := v.MapRange(); it.Next(); {
			var e maphash.Hash
			e.SetSeed(internSeed)
			hashValue(&e, it.Key())
			hashValue(&e, it.Value())
			sum += e.Sum64()
		}
		maphash.WriteComparable(h, v.Len())
		maphash.WriteComparable(h, sum)
	case reflect.Struct:
		for i := range v.NumField() {
			hashValue(h, v.Field(i))
		}
	default:
		// Channels, functions and the like have no place in metadata;
		// equalExact never finds them equal, so they are never shared.
		h.WriteString(v.Kind().String())
	}
}

// equalExact is reflect.DeepEqual, but floats compare by their bits: -0
// and 0 differ (they encode differently), and so do interfaces holding
// different types (float64 1 and json.Number "1").
func equalExact(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case reflect.Invalid:
		return true
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.String:
		return a.String() == b.String()
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return equalExact(a.Elem(), b.Elem())
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return false
		}
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalExact(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for it := a.MapRange(); it.Next(); {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !equalExact(it.Value(), bv) {
				return false
			}
		}
		return true
	case reflect.Struct:
		if a.Type() != b.Type() {
			return false
		}
		for i := range a.NumField() {
			if !equalExact(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	default:
		return false
	}
}

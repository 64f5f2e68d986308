package validator

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// importProbe is a package that uses what the mock's packages use of this
// one: it holds a Validator, an Operation and Findings and calls the
// Operation's accessors, plain schemas included.
const importProbe = `package importprobe

import "github.com/fruxon/fruxon-mock/validator"

type Holder struct {
	V  *validator.Validator
	Op *validator.Operation
	Fs validator.Findings
	P  *validator.Problem
}

func (h *Holder) Read() (bool, bool, bool, int64, string, []string, []int) {
	o := h.Op
	return o.Anonymous(), o.JSONRPC(), o.OwnKeyOnly(), o.MaxUpload(), o.SourceLine(), o.RequestMediaTypes(), o.DeclaredStatuses()
}

func (h *Holder) Check(ops []*validator.Operation) int { return len(ops) + len(h.V.Operations()) + len(h.Fs) }

func (h *Holder) Shapes() (int, bool) {
	_, media, _ := h.Op.RequestBody()
	_, s, ok := h.Op.Response(200, "application/json")
	return len(h.Op.Parameters()) + len(media), ok && s != nil && len(s.Properties) > 0
}
`

// genericModel matches the names of instantiations of libopenapi's
// generic containers ("orderedmap.(*Map[", "generic-list-go.(*List["),
// which a package compiles for itself when its types reach the model. (Not
// `go tool nm`: Go 1.26 builds nm on first use, 14 s in a cold cache.)
var genericModel = regexp.MustCompile(`(orderedmap|ordered-map/v2|generic-list-go)\.[(*A-Za-z]*\[`)

// TestImportCost holds the line model.go draws: a package using this one's
// types compiles none of libopenapi's generic instantiations. Before the
// line was drawn such a package compiled about 11,000 of them (15 to 20
// seconds under -race, in each of about 60 compiles of go test ./...). It
// compiles a probe package (put in the module by a build overlay, so the
// tree is not written) with the test binary's own race setting, so the
// build cache already holds everything but the probe, and counts them.
func TestImportCost(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("compiles a package (-short)")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			t.Skip("no go command to compile the probe with")
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "probe.go")
	if err := os.WriteFile(src, []byte(importProbe), 0o644); err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]map[string]string{
		"Replace": {filepath.Join(root, "validator", "internal", "importprobe", "probe.go"): src},
	})
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "probe.a")
	args := []string{"build", "-overlay", overlayFile, "-o", archive}
	args = append(args, buildFlags()...)
	args = append(args, "./validator/internal/importprobe")
	build := exec.Command(goBin, args...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	// The archive's symbol table names every function it defines; an
	// instantiation's name carries its type arguments ("Map[…").
	obj, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	found := genericModel.FindAll(obj, -1)
	if len(found) > 0 {
		t.Errorf("a package using this one's types compiles libopenapi's generic model (%d symbols such as %q): a field or method of an exported type, or an inlinable exported function, reaches a libopenapi type; model.go says how to keep them apart",
			len(found), found[0])
	}
}

// buildFlags are the test binary's own build settings that select another
// build of the packages (-race, -trimpath, -tags), so the probe's build
// reuses the cached ones.
func buildFlags() []string {
	var flags []string
	if raceBuild {
		flags = append(flags, "-race")
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "-trimpath":
				if s.Value == "true" {
					flags = append(flags, "-trimpath")
				}
			case "-tags":
				flags = append(flags, "-tags="+s.Value)
			}
		}
	}
	return flags
}

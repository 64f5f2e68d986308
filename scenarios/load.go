package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed library/*.yaml
var libraryFS embed.FS

// Library loads the embedded built-in library, sorted by file name. Its
// files are named "library/NAME.yaml" in errors.
func Library() ([]*Scenario, error) { return LoadFS(libraryFS, "library") }

// LoadFS loads every *.yaml and *.yml file under dir of fsys, in lexical
// order, and fails on the first malformed file or on two scenarios with the
// same name.
func LoadFS(fsys fs.FS, dir string) ([]*Scenario, error) {
	var files []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isScenarioFile(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var list []*Scenario
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		s, err := Parse(path.Clean(f), data)
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, CheckUnique(list)
}

// LoadFile loads one scenario file.
func LoadFile(name string) (*Scenario, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// LoadPaths loads scenario files and directories (every *.yaml and *.yml
// below them, in lexical order), in the order given.
func LoadPaths(paths ...string) ([]*Scenario, error) {
	files, err := Files(paths...)
	if err != nil {
		return nil, err
	}
	var list []*Scenario
	for _, f := range files {
		s, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, CheckUnique(list)
}

// Files lists the scenario files the paths name, in the order LoadPaths
// loads them: a file as given, a directory's *.yaml and *.yml files below
// it, in lexical order. serve --watch polls the same list.
func Files(paths ...string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isScenarioFile(f) {
				files = append(files, f)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		out = append(out, files...)
	}
	return out, nil
}

func isScenarioFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// CheckUnique refuses two scenarios with the same name, naming the second.
func CheckUnique(list []*Scenario) error {
	seen := map[string]*Scenario{}
	for _, s := range list {
		if first, dup := seen[s.Name]; dup {
			return &LoadError{File: s.File, Line: max(s.nameLine, 1), Field: "name",
				Msg: fmt.Sprintf("%q is also the name of the scenario in %s", s.Name, first.File)}
		}
		seen[s.Name] = s
	}
	return nil
}

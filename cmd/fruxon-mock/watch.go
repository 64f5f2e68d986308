package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/fruxon/fruxon-mock/fixtures"
	"github.com/fruxon/fruxon-mock/mockserver"
	"github.com/fruxon/fruxon-mock/scenarios"
)

// watchInterval is how often --watch polls file times.
const watchInterval = 500 * time.Millisecond

// loadFixtures loads what --fixtures and --no-fixtures ask for: a bad
// fixture stops serve with every problem's file, line and field.
func (c *serveConfig) loadFixtures() (*fixtures.Set, error) {
	return fixtureSet(c.fixtures, c.noFixtures)
}

// fixtureSet is what serve (and replay's in-process mock) starts from:
// the embedded set, the fixtures at path, or none.
func fixtureSet(path string, none bool) (*fixtures.Set, error) {
	if none {
		if path != "" {
			return nil, errors.New("--fixtures and --no-fixtures exclude each other")
		}
		return nil, nil
	}
	var set *fixtures.Set
	var err error
	if path == "" {
		set, err = fixtures.Default()
	} else {
		set, err = fixtures.Load(path)
	}
	if err != nil {
		return nil, fmt.Errorf("bad fixtures:\n%w", err)
	}
	return set, nil
}

// watchedSource is a set of files --watch polls, and how to reload them.
type watchedSource struct {
	name string
	// files lists the files, again on each poll (a directory may gain one).
	files  func() ([]string, error)
	reload func() error
}

// watchedSources are what --watch reloads: the --fixtures files and the
// --scenarios files.
func (c *serveConfig) watchedSources(srv *mockserver.Server) []watchedSource {
	var out []watchedSource
	if len(c.scenarioPaths) > 0 {
		out = append(out, watchedSource{
			name:  "scenarios",
			files: func() ([]string, error) { return scenarios.Files(c.scenarioPaths...) },
			reload: func() error {
				list, err := serveScenarios(c.scenarioPaths)
				if err != nil {
					return err
				}
				return srv.LoadScenarios(list)
			},
		})
	}
	if c.fixtures != "" && !c.noFixtures {
		out = append(out, watchedSource{
			name:  "fixtures",
			files: func() ([]string, error) { return fixtures.Files(c.fixtures) },
			reload: func() error {
				set, err := fixtures.Load(c.fixtures)
				if err != nil {
					return err
				}
				return srv.LoadFixtures(set)
			},
		})
	}
	return out
}

// watch polls each source's file times until ctx ends and reloads a
// source whose files changed. A reload that fails is logged and changes
// nothing: the server keeps its previous state.
func watch(ctx context.Context, interval time.Duration, logger *slog.Logger, sources ...watchedSource) {
	if len(sources) == 0 {
		logger.Warn("--watch has nothing to watch: the embedded fixtures and library never change (give --fixtures or --scenarios)")
		return
	}
	last := make([]string, len(sources))
	for i, s := range sources {
		last[i] = fingerprint(s)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for i, s := range sources {
			fp := fingerprint(s)
			if fp == last[i] {
				continue
			}
			last[i] = fp
			if err := s.reload(); err != nil {
				logger.Error("reload failed; keeping the previous state", slog.String("source", s.name), slog.String("error", err.Error()))
				continue
			}
			logger.Info("reloaded", slog.String("source", s.name))
		}
	}
}

// fingerprint names, sizes and modification times of a source's files.
func fingerprint(s watchedSource) string {
	files, err := s.files()
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", f, err)
			continue
		}
		fmt.Fprintf(&b, "%s %d %d\n", f, st.Size(), st.ModTime().UnixNano())
	}
	return b.String()
}

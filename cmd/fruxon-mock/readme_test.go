package main

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/fruxon/fruxon-mock/scenarios"
)

// TestReadmeStepCount keeps the README's figure of the library's steps the
// current one: a scenario added without updating it fails here.
func TestReadmeStepCount(t *testing.T) {
	list, err := scenarios.Library()
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, sc := range list {
		steps += len(sc.Steps)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	found := regexp.MustCompile(`\((\d+) steps\)`).FindAllSubmatch(readme, -1)
	if len(found) == 0 {
		t.Fatal(`README.md names no "(N steps)" of the library`)
	}
	for _, m := range found {
		if n, _ := strconv.Atoi(string(m[1])); n != steps {
			t.Errorf("README.md says %d steps; the library has %d", n, steps)
		}
	}
}

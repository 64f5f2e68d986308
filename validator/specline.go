package validator

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// checkYAML reports a syntax error with its line before libopenapi, whose
// messages don't always carry one, sees the document.
func checkYAML(spec []byte) error {
	var n yaml.Node
	if err := yaml.Unmarshal(spec, &n); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = strings.TrimPrefix(msg, m[0])
		}
		return &SpecError{Line: syntaxErrorLine(spec, line, msg), Reason: msg}
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return &SpecError{Line: 1, Reason: "the document is not a YAML or JSON mapping"}
	}
	return nil
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// syntaxErrorLine finds the line a YAML syntax error is really on. yaml.v3
// names the line where the enclosing construct starts, 0-based for parser
// errors (one or more lines early); the parser stops at the first error,
// so the shortest prefix of the document that fails with the same message
// ends on the offending line. Binary search keeps it to a few parses.
func syntaxErrorLine(spec []byte, reported int, msg string) int {
	lines := bytes.SplitAfter(spec, []byte("\n"))
	same := func(k int) bool {
		var n yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		return err != nil && strings.HasSuffix(err.Error(), ": "+msg)
	}
	lo, hi := max(reported, 1), len(lines)
	if lo > hi || !same(hi) {
		return reported
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if same(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

var missingRef = regexp.MustCompile("`(#/[^`]+)` does not exist")

// refLine is the line of the first $ref that a build error names as
// missing, or 1 when the error names none.
func refLine(spec []byte, buildErr string) int {
	m := missingRef.FindStringSubmatch(buildErr)
	if m == nil {
		return 1
	}
	var root yaml.Node
	if yaml.Unmarshal(spec, &root) != nil {
		return 1
	}
	if line := findRef(&root, m[1]); line > 0 {
		return line
	}
	return 1
}

func findRef(n *yaml.Node, ref string) int {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k, v := n.Content[i], n.Content[i+1]; k.Value == "$ref" && v.Value == ref {
				return k.Line
			}
		}
	}
	for _, c := range n.Content {
		if line := findRef(c, ref); line > 0 {
			return line
		}
	}
	return 0
}

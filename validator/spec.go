package validator

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed openapi/fruxon.yaml
var fruxonSpec []byte

//go:embed openapi/control-plane.yaml
var controlPlaneSpec []byte

// FruxonSpec returns the embedded OpenAPI document of the Integrations API.
func FruxonSpec() []byte { return bytes.Clone(fruxonSpec) }

// ControlPlaneSpec returns the embedded OpenAPI document of the mock's
// control plane (/_mock/…).
func ControlPlaneSpec() []byte { return bytes.Clone(controlPlaneSpec) }

// YAMLToJSON converts a YAML document to indented JSON, keeping the key
// order of the source so the JSON spec reads like the YAML one.
func YAMLToJSON(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if len(doc.Content) > 0 {
		if err := writeNodeJSON(&buf, doc.Content[0]); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func writeNodeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.AliasNode:
		return writeNodeJSON(buf, n.Alias)
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			key, _ := json.Marshal(n.Content[i].Value)
			buf.Write(key)
			buf.WriteByte(':')
			if err := writeNodeJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeNodeJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		return writeScalarJSON(buf, n)
	default:
		return fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	return nil
}

func writeScalarJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		buf.WriteString("null")
	case "!!bool", "!!int":
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		b, _ := json.Marshal(v)
		buf.Write(b)
	case "!!float":
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			return fmt.Errorf("line %d: %q is not a JSON number", n.Line, n.Value)
		}
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		buf.Write(b)
	default:
		b, _ := json.Marshal(n.Value)
		buf.Write(b)
	}
	return nil
}

// fruxon is the validator of the embedded Integrations API document,
// built once per process on first use.
var fruxon = sync.OnceValues(func() (*Validator, error) { return build(FruxonSpec(), true) })

// Fruxon returns the validator of the embedded Integrations API document,
// shared by its callers: it is built once (each operation compiled on its first use) and safe for
// concurrent use.
func Fruxon() (*Validator, error) { return fruxon() }

var controlPlane = sync.OnceValues(func() (*Validator, error) { return build(ControlPlaneSpec(), true) })

// ControlPlane returns the validator of the embedded control-plane
// document (/_mock/…), shared like Fruxon's.
func ControlPlane() (*Validator, error) { return controlPlane() }

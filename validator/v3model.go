package validator

import v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

// V3 returns the operation's high-level OpenAPI model and the path item it
// belongs to, for tools that walk its parameters and schemas (the fuzzer).
// Treat both as read-only: the validator shares them.
func (o *Operation) V3() (*v3.PathItem, *v3.Operation) { return o.pathItem, o.op }

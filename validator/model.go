package validator

import (
	libvalidator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// Why libopenapi's types hide behind `any` fields here.
//
// The Go compiler compiles, in every package, each method of every generic
// type instantiation that package's types can reach, whether it calls them
// or not. libopenapi's model is built of orderedmap.Map instantiations, so
// a package that merely held a *Validator, while a field or method of
// Validator or Operation named a model type, compiled about 11,000
// functions: 15 to 20 seconds under -race, paid again by every package and
// test variant that imports this one (about 60 compiles in go test ./...,
// the larger part of its cold time).
//
// So no field of a type this package exports, and no method of one, names a
// type of libopenapi or libopenapi-validator: their values sit in `any`
// fields (Validator.parts, Operation.model, declaredResponse.decl,
// lazySchema.schema) that package-level functions read. Exported methods
// answer from plain copies made when the document is indexed
// (readDeclarations). TestImportCost holds the line.

// libParts is the library's side of a Validator.
type libParts struct {
	lib libvalidator.Validator
	// schemas holds the library's compiled schemas; compileOpts are the
	// library's options without that cache, for prepare's own compiles.
	schemas     *lazyCache
	compileOpts *config.ValidationOptions
}

func libOf(v *Validator) *libParts { return v.parts.(*libParts) }

// opModel is an operation in libopenapi's high-level model.
type opModel struct {
	pathItem *v3.PathItem
	op       *v3.Operation
}

func modelOf(o *Operation) *opModel { return o.model.(*opModel) }

// responseDecl is a declared response's model, nil if none.
func responseDecl(d declaredResponse) *v3.Response {
	r, _ := d.decl.(*v3.Response)
	return r
}

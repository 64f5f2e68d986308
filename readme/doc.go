// Package readme holds the test that keeps README.md's examples true: it
// runs every sh block against a real mock and checks the output the block
// states, and compiles (and runs, when they are tests) the Go snippets.
// The conventions are in README.md's Development section; the test is in
// readme_test.go. The package has no other code.
package readme

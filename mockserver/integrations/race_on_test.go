//go:build race

package integrations

// appendRounds: under the race detector (≈10× slower, and the differential
// test has one goroutine, so nothing for it to find) TestAppendJSONMatchesMarshal
// checks fewer random values; the plain `go test` and FuzzAppendJSON see more.
const appendRounds = 250

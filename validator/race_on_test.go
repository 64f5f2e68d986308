//go:build race

package validator

// raceStride: under the race detector (≈10× slower), the large
// differential tests (the fast paths against the library and the JSON
// Schema engine: TestWalkJSONAgreesWithEngine, TestFast*Agree*) check
// every raceStride-th schema or operation. They run on one goroutine, so
// the detector finds nothing more in them; the plain `go test ./validator`
// and the fuzz targets see all of them, and .ci/run runs them so.
const raceStride = 8

// raceSchemaStride is the same for TestWalkJSONAgreesWithEngine, which
// walks schemas (550 of them, against 87 operations).
const raceSchemaStride = 32

// raceBuild says the test binary was built with -race.
const raceBuild = true

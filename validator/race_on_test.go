//go:build race

package validator

// raceStride: under the race detector (≈10× slower), the large
// differential tests check every raceStride-th schema; the plain
// `go test ./validator` and the fuzz targets still see all of them.
const raceStride = 8

// raceBuild says the test binary was built with -race.
const raceBuild = true

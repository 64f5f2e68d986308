//go:build !race

package validator

const raceStride = 1

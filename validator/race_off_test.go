//go:build !race

package validator

const raceStride = 1

const raceSchemaStride = 1

const raceBuild = false

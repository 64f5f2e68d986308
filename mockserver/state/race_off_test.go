//go:build !race

package state

const appendRounds = 2000

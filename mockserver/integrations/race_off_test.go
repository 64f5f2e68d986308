//go:build !race

package integrations

const appendRounds = 2000

package validator_test

import (
	"testing"

	"github.com/fruxon/fruxon-mock/validator"
)

func TestEnvelopeRefusal(t *testing.T) {
	for body, want := range map[string]bool{
		`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`: true,
		`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid"}}`:     true,
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid"}}`:        false, // an answer to a request
		`{"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"no method"}}`:   false,
		`{"jsonrpc":"2.0","id":null,"result":{}}`:                                     false,
		`{"jsonrpc":"1.0","id":null,"error":{"code":-32700}}`:                         false,
		`{"type":"about:blank","status":400}`:                                         false,
		`not json`:                                                                    false,
	} {
		if got := validator.EnvelopeRefusal([]byte(body)); got != want {
			t.Errorf("%s: %v, want %v", body, got, want)
		}
	}
}

package integrations

// LoadCreateBody is cmd/loadbench's ≈1 KB create body: two parameters and
// an API-key method. It is kept once here for the state tests (a test
// can't import a main package): BenchmarkStoreMemory fills the store with
// it, and DecodeCreateIntegration must take it on its fast path. Exported
// for the external tests of this package only (a _test.go file).
const LoadCreateBody = `{"id":"acme-crm","displayName":"Acme CRM","description":"Contacts, deals and notes from Acme's CRM, synced every five minutes.",
"configMetadata":{"parametersMetadata":[{"name":"region","index":0,"type":"String","displayName":"Region","description":"Data residency region",
"required":true,"secret":false,"options":[{"value":"eu","displayName":"Europe"},{"value":"us","displayName":"United States"}]},
{"name":"limit","index":1,"type":"Integer","integerRange":{"min":1,"max":500},"required":false,"secret":false,"defaultValue":"100"}],
"authMetadata":[{"id":"api-key","displayName":"API key","description":"A workspace API key","type":"API_KEY","sensitivity":"SECRET",
"authProviderName":null,"configTestSupported":true,"supportedLevels":["APPLICATION"],"authMap":{"useMap":false,"keyTemplate":null,"parametersMetadata":[]},
"authSettings":{"parameters":{"headerName":"X-Api-Key"}},"parametersMetadata":[{"name":"apiKey","type":"String","required":true,"secret":true}],"availableScopes":[]}]}}`

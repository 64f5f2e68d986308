// A small frontend program against fruxon-mock, typed by openapi-typescript
// from the mock's own /openapi.json: create, list, replace, patch, verify and
// publish, the way a web app would, plus a validation problem and the default fixtures.
// scripts/frontend-check type-checks it with tsc, then runs it with tsx.
import createClient from "openapi-fetch";
import type { paths } from "./api";

declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const baseUrl = process.env.MOCK_URL;
if (!baseUrl) throw new Error("MOCK_URL is not set");
const client = createClient<paths>({ baseUrl, headers: { Authorization: "Bearer frontend-check" } });
const tenant = "frontend-check";

function must<T>(r: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (r.error !== undefined || r.data === undefined) {
    throw new Error(`${what}: HTTP ${r.response.status} ${JSON.stringify(r.error)}`);
  }
  console.log(`ok  ${what} (${r.response.status})`);
  return r.data;
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`failed: ${what}`);
}

// 1. Create an integration.
const integration = must(
  await client.POST("/v1/tenants/{tenant}/integrations", {
    params: { path: { tenant } },
    body: {
      displayName: "Acme CRM",
      configMetadata: {
        parametersMetadata: [
          { name: "region", type: "String", required: true, options: [{ value: "eu" }, { value: "us" }] },
        ],
        authMetadata: [
          {
            id: "api-key",
            type: "API_KEY",
            configTestSupported: true,
            supportedLevels: ["APPLICATION"],
            authSettings: { parameters: { headerName: "X-Api-Key" } },
            parametersMetadata: [{ name: "apiKey", type: "String", required: true, secret: true }],
          },
        ],
      },
    },
  }),
  "create integration",
);
check(integration.id === "acme-crm" && integration.type === "CUSTOM", "integration id and type");

// 2. List, filtered.
const list = must(
  await client.GET("/v1/tenants/{tenant}/integrations", { params: { path: { tenant }, query: { Search: "acme", "Paging.PageSize": 10 } } }),
  "list integrations",
);
check(list.items.some((i) => i.id === integration.id), "the new integration is listed");

// 2b. Replace it (PUT is a full replace: what is left out becomes null).
const replaced = must(
  await client.PUT("/v1/tenants/{tenant}/integrations/{integration}", {
    params: { path: { tenant, integration: integration.id } },
    body: {
      displayName: "Acme CRM",
      description: "The CRM of Acme",
      configMetadata: integration.configMetadata,
    },
  }),
  "replace integration",
);
check(replaced.description === "The CRM of Acme" && replaced.id === integration.id, "replaced integration");

// 3. Create a config (a draft) holding a secret.
const path = { tenant, integration: integration.id };
const config = must(
  await client.POST("/v1/tenants/{tenant}/integrations/{integration}/configs", {
    params: { path },
    body: {
      displayName: "Production",
      parameters: { region: "eu" },
      auth: { integrationAuthMetadataId: "api-key", parameters: { apiKey: "sk_live_frontend_canary" } },
    },
  }),
  "create config",
);
check(config.hasAuth && config.publishedRevisionId === null, "a draft with auth");
check(!JSON.stringify(config).includes("sk_live_frontend_canary"), "the secret is not echoed");

// 4. Patch the draft.
const patched = must(
  await client.PATCH("/v1/tenants/{tenant}/integrations/{integration}/configs/{config}", {
    params: { path: { ...path, config: config.id } },
    body: { sandboxMode: "SIMULATED" },
  }),
  "patch config",
);
check(patched.sandboxMode === "SIMULATED" && patched.hasAuth, "patched draft keeps auth");

// 4b. Verify the draft's credentials (:verifyAuth answers a VerifyResult).
const verified = must(
  await client.POST("/v1/tenants/{tenant}/integrations/{integration}/configs/{config}:verifyAuth", {
    params: { path: { ...path, config: config.id } },
  }),
  "verify config auth",
);
check(verified.success === true, "the stored key verifies");

// 5. Publish: the draft becomes revision 1.
const revision = must(
  await client.POST("/v1/tenants/{tenant}/integrations/{integration}/configs/{config}:publish", {
    params: { path: { ...path, config: config.id } },
  }),
  "publish config",
);
check(revision.version === 1 && revision.sandboxMode === "SIMULATED", "revision 1");
const revisions = must(
  await client.GET("/v1/tenants/{tenant}/integrations/{integration}/configs/{config}/revisions", {
    params: { path: { ...path, config: config.id } },
  }),
  "list revisions",
);
check(revisions.items[0]?.id === revision.id, "the revision is listed");

// 6. A validation problem is typed too.
const bad = await client.PATCH("/v1/tenants/{tenant}/integrations/{integration}/configs/{config}", {
  params: { path: { ...path, config: config.id } },
  body: { parameters: { region: "mars" } },
});
check(bad.response.status === 400 && bad.error !== undefined, "400 on a bad option");
console.log(`ok  validation problem (400): ${JSON.stringify(bad.error?.errors)}`);

// 7. The default fixtures are there.
const demo = must(
  await client.GET("/v1/tenants/{tenant}/integrations", { params: { path: { tenant: "demo" }, query: { "Paging.PageSize": 100 } } }),
  "list the demo fixtures",
);
check(demo.items.length >= 6, "at least 6 demo integrations");

console.log("frontend check passed: create, list, replace, patch, verify and publish through openapi-fetch");

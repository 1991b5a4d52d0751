// The GraphQL-over-HTTP audit (npm `graphql-http`, `serverAudits`) against a running Ketnap:
// every MUST, SHOULD and MAY must pass. KETNAP_URL is the server's base URL.
import { serverAudits } from "graphql-http";

const base = process.env.KETNAP_URL ?? "http://127.0.0.1:8080";
const url = `${base}/graphql`;
let failed = 0;
let passed = 0;
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  if (result.status === "ok") {
    passed += 1;
    continue;
  }
  failed += 1;
  let body = "";
  if (result.response) {
    try {
      body = await result.response.text();
    } catch {
      body = "(body already read)";
    }
  }
  console.log(`${result.status.toUpperCase()} ${audit.name}\n    ${result.reason}\n    ${body.slice(0, 300)}`);
}
console.log(`graphql-http audit: ${passed} passed, ${failed} not passed`);
process.exit(failed === 0 ? 0 : 1);

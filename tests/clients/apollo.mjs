// Apollo Client and graphql-ws against a running Ketnap (KETNAP_URL, demo data): sign in,
// query and page both ways through Apollo's automatic persisted queries, then subscribe
// over graphql-ws and receive an act another account records.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";

const base = process.env.KETNAP_URL ?? "http://127.0.0.1:8080";
const password = process.env.KETNAP_DEMO_PASSWORD ?? "ketnap-demo-2026";
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

// What went over the wire: each request's method and whether it carried the document.
const wire = [];
async function recordingFetch(uri, options) {
  const body = typeof options.body === "string" ? JSON.parse(options.body) : null;
  const url = new URL(uri);
  wire.push({
    method: options.method ?? "GET",
    withText: Boolean(body?.query ?? url.searchParams.get("query")),
    hashed: Boolean(body?.extensions?.persistedQuery ?? url.searchParams.get("extensions")),
  });
  return fetch(uri, options);
}

function client() {
  let token = null;
  const auth = new ApolloLink((operation, forward) => {
    if (token) operation.setContext({ headers: { authorization: `Bearer ${token}` } });
    return forward(operation);
  });
  const link = ApolloLink.from([
    auth,
    new PersistedQueryLink({ sha256, useGETForHashedQueries: true }),
    new HttpLink({ uri: `${base}/graphql`, fetch: recordingFetch }),
  ]);
  const apollo = new ApolloClient({ link, cache: new InMemoryCache() });
  return {
    apollo,
    async signIn(username) {
      const { data } = await apollo.mutate({
        mutation: gql`mutation Login($u: String!, $p: String!) {
          login(input: { username: $u, password: $p }) { accessToken user { username } }
        }`,
        variables: { u: username, p: password },
      });
      token = data.login.accessToken;
      return token;
    },
  };
}

const UNITS = gql`query Units($first: Int, $after: String, $last: Int, $before: String) {
  orgUnits(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    nodes { id code }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const district = client();
const districtToken = await district.signIn("demo.district");
const units = (variables) =>
  district.apollo.query({ query: UNITS, variables, fetchPolicy: "network-only" }).then((r) => r.data.orgUnits);

// The first time a document goes by hash, the server asks for its text; from then on the
// hash alone is enough.
const before = wire.length;
const first = await units({ first: 2 });
assert.equal(first.nodes.length, 2);
assert.ok(first.pageInfo.hasNextPage);
const second = await units({ first: 2, after: first.pageInfo.endCursor });
assert.equal(second.nodes.length, 2);
assert.ok(second.pageInfo.hasPreviousPage);
const back = await units({ last: 2, before: second.pageInfo.startCursor });
assert.deepEqual(back.nodes.map((n) => n.code), first.nodes.map((n) => n.code), "backward returns the first page");
assert.equal(back.pageInfo.hasPreviousPage, false);
const tail = await units({ last: 1 });
const everything = await units({ first: 100 });
assert.equal(tail.nodes[0].code, everything.nodes.at(-1).code, "the last page is the end of the list");
const sent = wire.slice(before);
assert.ok(sent[0].hashed && !sent[0].withText && sent[0].method === "GET", "the hash is tried first, by GET");
assert.ok(sent[1].withText, "then the text, once");
assert.ok(sent.slice(2).every((r) => r.hashed && !r.withText), "then the hash alone");
console.log(`apollo: ${sent.length} requests for 5 queries, only one carrying the document`);

// A subscription over graphql-ws: the district hears an act of its branch.
const ws = createClient({
  url: `${base.replace(/^http/, "ws")}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: async () => ({ authorization: `Bearer ${districtToken}` }),
});
const heard = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("no event within 10 seconds")), 10_000);
  const stop = ws.subscribe(
    { query: "subscription { actRecorded { candidateId act unit { code } } }" },
    {
      next: (event) => {
        clearTimeout(timer);
        stop();
        resolve(event);
      },
      error: reject,
      complete: () => {},
    },
  );
});
await new Promise((r) => setTimeout(r, 500));
const branch = client();
await branch.signIn("demo.branch");
const { data } = await branch.apollo.mutate({
  mutation: gql`mutation List($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }`,
  variables: {
    i: {
      listedOn: "2024-03-01", fullName: "Lò Thị Apollo", gender: "FEMALE", birthDate: "1999-04-04",
      ethnicity: "TAY", generalEducation: "UPPER_SECONDARY", professionalLevel: "COLLEGE",
      sourceOrganisation: "YOUTH_UNION", occupation: "Giáo viên", workplace: "Trường THCS Tân Lập",
    },
  },
});
const event = await heard;
assert.equal(event.errors, undefined, JSON.stringify(event));
assert.equal(event.data.actRecorded.candidateId, data.addToSourceList.candidate.id);
assert.equal(event.data.actRecorded.act, "addToSourceList");
assert.equal(event.data.actRecorded.unit.code, "SL.BS.TL.NL");
console.log("graphql-ws: the district heard the branch's act");
await ws.dispose();
process.exit(0);

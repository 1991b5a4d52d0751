// The one GraphQL client of the dashboard: POST /graphql with the bearer token and the
// reader's language, one refresh on UNAUTHENTICATED, and the session kept in sessionStorage.
import { getLang } from '../i18n.js';

const KEY = 'ketnap.session';
const listeners = new Set();
let session = load();
let refreshing = null;
let timer = null;

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) ?? null;
  } catch {
    return null;
  }
}

function save(next) {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  schedule();
  for (const fn of listeners) fn(session);
}

/** Calls fn(session) whenever the session changes (sign-in, refresh, sign-out). */
export function onSession(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const currentSession = () => session;

/** An error the API answered, with its stable code and the server's localised message. */
export class ApiError extends Error {
  constructor(message, code, extensions = {}) {
    super(message);
    this.code = code ?? 'NETWORK';
    this.extensions = extensions;
  }
}

async function post(query, variables, token) {
  const headers = {
    'content-type': 'application/json',
    // application/json: every GraphQL answer is a 200 with `errors`, so a refused token is not
    // a failed resource in the browser's console.
    accept: 'application/json',
    'accept-language': getLang(),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch (e) {
    throw new ApiError(e.message, 'NETWORK');
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`HTTP ${res.status}`, 'HTTP_' + res.status);
  }
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code, first.extensions);
  }
  return body.data;
}

const SESSION_FIELDS = `accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
  user { id username displayName role orgUnit { id code name kind } }`;

export async function signIn(username, password) {
  const data = await post(
    `mutation SignIn($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`,
    { input: { username, password } },
  );
  save(data.login);
  return data.login;
}

/** Exchanges the single-use refresh token for a new pair; concurrent callers share one exchange. */
export function refresh() {
  if (!session) return Promise.reject(new ApiError('signed out', 'UNAUTHENTICATED'));
  if (!refreshing) {
    const token = session.refreshToken;
    refreshing = post(
      `mutation RefreshSession($input: RefreshSessionInput!) { refreshSession(input: $input) { ${SESSION_FIELDS} } }`,
      { input: { refreshToken: token } },
    )
      .then((data) => {
        save(data.refreshSession);
        return data.refreshSession;
      })
      .catch((e) => {
        if (e.code === 'UNAUTHENTICATED') save(null);
        throw e;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

export async function signOut() {
  const s = session;
  save(null);
  if (!s) return;
  try {
    await post(`mutation SignOut($input: LogoutInput!) { logout(input: $input) { revoked } }`, {
      input: { refreshToken: s.refreshToken },
    });
  } catch {
    // The session is gone on this side either way.
  }
}

// Refresh a minute before the access token expires (15 minutes after it was issued).
function schedule() {
  clearTimeout(timer);
  if (!session) return;
  const ms = Date.parse(session.accessTokenExpiresAt) - Date.now() - 60_000;
  timer = setTimeout(() => refresh().catch(() => {}), Math.max(ms, 1_000));
}
schedule();

/** A valid access token, refreshed first when it is about to expire. */
export async function accessToken() {
  if (!session) throw new ApiError('signed out', 'UNAUTHENTICATED');
  if (Date.parse(session.accessTokenExpiresAt) - Date.now() < 30_000) await refresh();
  return session.accessToken;
}

/**
 * One GraphQL request; on UNAUTHENTICATED, one retry: with the token another request has
 * refreshed meanwhile, or else after one refresh.
 */
export async function gql(query, variables = {}) {
  const token = await accessToken();
  try {
    return await post(query, variables, token);
  } catch (e) {
    if (e.code !== 'UNAUTHENTICATED' || !session) throw e;
    if (session.accessToken === token) await (refreshing ?? refresh());
    else if (refreshing) await refreshing;
    return post(query, variables, session.accessToken);
  }
}

/** Downloads a report (GET /reports/…) with the bearer header and saves it as a file. */
export async function download(path, params) {
  const url = `/reports/${path}?${new URLSearchParams(params)}`;
  const get = async () =>
    fetch(url, { headers: { authorization: `Bearer ${await accessToken()}`, 'accept-language': getLang() } });
  let res = await get();
  if (res.status === 401 && session) {
    await refresh();
    res = await get();
  }
  if (!res.ok) {
    let err = new ApiError(`HTTP ${res.status}`, 'HTTP_' + res.status);
    try {
      const body = await res.json();
      const first = body.errors?.[0];
      if (first) err = new ApiError(first.message, first.extensions?.code, first.extensions);
    } catch {
      // not JSON: keep the status
    }
    throw err;
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? path;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return name;
}

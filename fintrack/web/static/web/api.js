// The dashboard's only door to fintrack: fetch() on the public API, same origin.
// Tokens live in this module's memory and nowhere else (no localStorage, no sessionStorage,
// no cookie): a reload signs the user out, which is the price of never leaving a token where
// another script or a shared computer's next user could read it.

let access = null;
let refresh = null;
let refreshing = null; // one refresh at a time: a refresh token is good for one use only
let onSignedOut = () => {};
// The last answer to each GET, with its ETag: asked again, the server answers 304 while none of
// the user's data changed, and the page reuses what it has (a month revisited costs no query).
const answered = new Map();

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}.`);
    this.status = status;
    this.problem = problem || {};
  }
  get fieldErrors() {
    return this.problem.errors || {};
  }
}

export function isSignedIn() {
  return access !== null;
}

export function whenSignedOut(callback) {
  onSignedOut = callback;
}

function forget() {
  access = null;
  refresh = null;
  answered.clear();
}

async function send(method, path, body, token) {
  const headers = { Accept: "application/json" };
  const earlier = method === "GET" && answered.get(path);
  if (earlier) headers["If-None-Match"] = earlier.etag;
  // A file (a bank CSV for imports/) goes as it is; anything else as JSON.
  const file = body instanceof Blob;
  if (body !== undefined) headers["Content-Type"] = file ? "text/csv" : "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`/api/${path}`, {
    method,
    headers,
    body: body === undefined || file ? body : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
}

async function parse(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: "The server's answer could not be read." };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

async function renew() {
  if (!refreshing) {
    const used = refresh;
    refreshing = (async () => {
      try {
        const pair = await parse(await send("POST", "token/refresh/", { refresh: used }));
        access = pair.access;
        refresh = pair.refresh;
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

/** Calls the API as the signed-in user; an expired access token is renewed once, silently. */
export async function api(method, path, body) {
  let response = await send(method, path, body, access);
  if (response.status === 401 && refresh) {
    if (await renew()) {
      response = await send(method, path, body, access);
    }
  }
  if (response.status === 401) {
    forget();
    onSignedOut();
  }
  if (response.status === 304 && answered.has(path)) return answered.get(path).data;
  const data = await parse(response);
  const etag = response.headers.get("ETag");
  if (method === "GET" && etag) answered.set(path, { etag, data });
  return data;
}

/** Calls an endpoint that needs no token (sign-up, sign-in, password reset). */
export async function anonymous(method, path, body) {
  return parse(await send(method, path, body, null));
}

export async function signIn(username, password) {
  const pair = await anonymous("POST", "token/", { username, password });
  access = pair.access;
  refresh = pair.refresh;
}

/** Signs out for good: the refresh token is blacklisted by the server, then forgotten. */
export async function signOut() {
  try {
    if (!refresh) return;
    // The body is built at each sending: when the access token has expired, the renewal
    // retires the refresh token read before it, and the one to revoke is its successor.
    let response = await send("POST", "logout/", { refresh }, access);
    if (response.status === 401 && (await renew())) {
      response = await send("POST", "logout/", { refresh }, access);
    }
    await parse(response);
  } finally {
    forget();
  }
}

/** True when the endpoint exists (OPTIONS answers 200), false on a 404. */
export async function exists(path) {
  try {
    const response = await fetch(`/api/${path}`, { method: "OPTIONS", credentials: "omit" });
    return response.status !== 404;
  } catch {
    return false;
  }
}

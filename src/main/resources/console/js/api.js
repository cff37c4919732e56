// The public API, and nothing else: the server decides what the signed-in token may see.
import { token, signOut } from './session.js';

/** A refused or failed call, with the problem document's detail. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || ('HTTP ' + status));
    this.status = status;
  }
}

const listeners = [];
/** Called when the server no longer accepts the token (401). */
export function onUnauthorized(listener) {
  listeners.push(listener);
}

async function call(path, { method = 'GET', body, withToken = token() } = {}) {
  const headers = { Accept: 'application/json' };
  if (withToken) headers.Authorization = 'Bearer ' + withToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, '无法连接服务器');
  }
  if (response.status === 401 && withToken === token()) {
    signOut();
    listeners.forEach((l) => l());
  }
  return response;
}

async function problem(response) {
  try {
    const p = await response.json();
    return new ApiError(response.status, p.detail || p.title);
  } catch (e) {
    return new ApiError(response.status, 'HTTP ' + response.status);
  }
}

/** GET or POST returning the JSON body; throws ApiError for any non-2xx answer. */
export async function api(path, options) {
  const response = await call(path, options);
  if (!response.ok) throw await problem(response);
  return response.status === 204 ? null : response.json();
}

/** Just the status of a GET, for the sign-in checks. */
export async function status(path, withToken) {
  try {
    return (await call(path, { withToken })).status;
  } catch (e) {
    return 0;
  }
}

/** Query string of the non-empty entries. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * Downloads an export: fetched with the token (a plain link could not carry it), saved under the
 * file name the server gives in Content-Disposition (filename*, RFC 6266).
 */
export async function download(path) {
  const response = await call(path);
  if (!response.ok) throw await problem(response);
  const blob = await response.blob();
  const name = fileName(response.headers.get('Content-Disposition')) || 'export';
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

function fileName(disposition) {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain ? plain[1] : null;
}

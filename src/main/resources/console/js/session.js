// The signed-in token lives in sessionStorage only: it is gone when the browser tab closes.
const TOKEN = 'emon.console.token';
const ADMIN = 'emon.console.admin';

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function isAdmin() {
  return sessionStorage.getItem(ADMIN) === '1';
}

export function signIn(value, admin) {
  sessionStorage.setItem(TOKEN, value);
  sessionStorage.setItem(ADMIN, admin ? '1' : '0');
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(ADMIN);
}

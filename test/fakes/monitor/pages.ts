/** HTML pages the real monitor sends where a JSON client expects JSON. */

/** What a CERN SSO / BigPanDA login looks like to a client without credentials. */
export const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to CERN</title></head>
<body>
<div id="kc-header">CERN Single Sign-On</div>
<form id="kc-form-login" action="/auth/realms/cern/login-actions/authenticate" method="post">
  <input id="username" name="username" type="text">
  <input id="password" name="password" type="password">
  <input type="submit" value="Sign In">
</form>
</body>
</html>
`;

/** jobInfo.html / taskInfo.html rendered for an id the monitor does not know (status 200). */
export function notFoundPage(kind: 'job' | 'task', id: string): string {
  const label = kind === 'job' ? 'PanDA job' : 'Task';
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>BigPanDA monitor - ${label} ${id}</title></head>
<body>
<nav><a href="/">BigPanDA</a> <a href="/login/">Login</a></nav>
<div class="callout alert">${label} ${id} not found. It may have been deleted from the archive or the id is wrong.</div>
</body>
</html>
`;
}

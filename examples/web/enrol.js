// The enrolment page's script: sign in with the password, then seed 002's two calls
// (POST /authentication/keys/totp-secret, POST /users/{uid}/logins/totp) against ../rest-server.
const $ = (id) => document.getElementById(id);
let session = null; // { token, uid }
let secretUrl = null;

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...(session ? { authorization: `Bearer ${session.token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.reason ?? json.error ?? `HTTP ${res.status}`);
  return json;
}

const show = (id) => ['sign-in', 'enrol', 'done'].forEach((s) => ($(s).hidden = s !== id));
const report = (message) => ($('error').textContent = message);

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  report('');
  try {
    const login = await api('POST', '/authentication/token', { userName: $('user-name').value, password: $('password').value });
    session = { token: login.access_token, uid: login.uid };
    const { data } = await api('POST', '/authentication/keys/totp-secret');
    secretUrl = data.secretUrl;
    $('qr').src = data.qrCode;
    $('manual-key').textContent = data.manualKey;
    show('enrol');
    $('code').focus();
  } catch (err) {
    const messages = {
      invalid_credentials: 'Wrong user name or password.',
      mfa_code_required: 'Two-factor authentication is already set up for this account.',
    };
    report(messages[err.message] ?? `Could not sign in (${err.message}).`);
  }
});

$('confirm-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  report('');
  try {
    const { data } = await api('POST', `/users/${encodeURIComponent(session.uid)}/logins/totp`, {
      secretUrl,
      code: $('code').value,
      description: 'Web enrolment',
      scope: 'ui',
    });
    $('recovery-codes').replaceChildren(...data.recoveryCodes.map((code) => Object.assign(document.createElement('li'), { textContent: code })));
    $('download').href = URL.createObjectURL(new Blob([data.recoveryCodesText], { type: 'text/plain' }));
    show('done');
  } catch (err) {
    report(err.message === 'mismatch' ? 'That code is not right; check the app and try again.' : `Could not turn it on (${err.message}).`);
  }
});

// The account page: the memo's REST routes, called with fetch and the HttpOnly cookie `sid`.
// No framework and no build step. Every text from the server is shown with textContent.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  const views = { signedOut: $('signed-out'), signedIn: $('signed-in') };
  const statusBox = $('status');
  const forms = {
    register: $('register-form'),
    login: $('login-form'),
    rename: $('rename-form'),
    password: $('password-form'),
  };

  // --- talking to the service -------------------------------------------------------------

  /** One request; resolves to {status, body, headers}. status 0: the service was unreachable. */
  async function api(method, path, body) {
    const init = { method, credentials: 'include', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      return { status: 0, body: null, headers: new Headers() };
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return { status: response.status, body: data, headers: response.headers };
  }

  // --- what the page shows ----------------------------------------------------------------

  function showStatus(kind, text) {
    statusBox.dataset.kind = kind;
    statusBox.textContent = text;
    statusBox.hidden = false;
  }

  function clearStatus() {
    statusBox.hidden = true;
    statusBox.textContent = '';
    delete statusBox.dataset.kind;
  }

  function errorBoxFor(input) {
    return $(`${input.id}-error`);
  }

  function clearFieldErrors(form) {
    for (const input of form.querySelectorAll('input')) {
      input.removeAttribute('aria-invalid');
      const box = errorBoxFor(input);
      if (box) box.textContent = '';
    }
  }

  /** Marks the form's field named `name` (the REST body key) invalid; false if there is none. */
  function setFieldError(form, name, message) {
    const input = form.elements.namedItem(name);
    if (!(input instanceof HTMLInputElement)) return false;
    input.setAttribute('aria-invalid', 'true');
    const box = errorBoxFor(input);
    if (box) box.textContent = box.textContent ? `${box.textContent} ${message}` : message;
    return true;
  }

  function focusFirstInvalid(form) {
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
  }

  function textOf(result) {
    const detail = result.body && result.body.detail;
    if (typeof detail === 'string') return detail;
    if (result.status === 0) return 'The account service cannot be reached. Try again in a moment.';
    return `The request failed (HTTP ${result.status}).`;
  }

  /**
   * Shows a failed answer the way the contract describes it: 422 lists each field error next
   * to its field (loc[1] is the body key), 409 marks the field named by `field`, and every
   * other status shows its `detail` in the status area.
   */
  function showProblem(form, result) {
    const { status, body } = result;
    if (status === 422 && body && Array.isArray(body.detail)) {
      const elsewhere = [];
      for (const item of body.detail) {
        const name = Array.isArray(item.loc) ? item.loc[1] : undefined;
        if (typeof name !== 'string' || !setFieldError(form, name, item.msg)) {
          elsewhere.push(item.msg);
        }
      }
      showStatus('error', elsewhere.length ? elsewhere.join(' ') : 'Please correct the marked fields.');
      focusFirstInvalid(form);
      return;
    }
    let text = textOf(result);
    if (status === 409 && body && typeof body.field === 'string') {
      setFieldError(form, body.field, text);
    } else if (status === 403 && form === forms.password) {
      setFieldError(form, 'old_password', text);
    } else if (status === 429) {
      const retry = result.headers.get('Retry-After');
      if (retry) text = `${text}. Try again in ${retry} seconds.`;
    } else if (status === 401 && form !== forms.login) {
      text = `${text}: your session has ended. Please log in again.`;
    }
    showStatus('error', text);
    focusFirstInvalid(form);
    if (status === 401 && form !== forms.login) {
      showSignedOut(); // the session ended: back to the login form (memo: 401)
    } else if (status === 404) {
      void api('POST', '/auth/logout'); // the account is gone (memo: 404): end the session too
      showSignedOut();
    }
  }

  function showSignedOut() {
    views.signedIn.hidden = true;
    views.signedOut.hidden = false;
    for (const form of [forms.rename, forms.password]) {
      form.reset();
      clearFieldErrors(form);
    }
  }

  function showSignedIn(profile) {
    $('signed-in-name').textContent = profile.username;
    $('profile-username').textContent = profile.username;
    $('profile-email').textContent = profile.email;
    $('profile-phone').textContent = profile.phone;
    $('profile-id').textContent = String(profile.id);
    $('password-account').setAttribute('value', profile.email); // survives form.reset()
    forms.rename.elements.namedItem('username').value = profile.username;
    for (const form of [forms.register, forms.login]) {
      form.reset();
      clearFieldErrors(form);
    }
    views.signedOut.hidden = true;
    views.signedIn.hidden = false;
  }

  // --- the forms --------------------------------------------------------------------------

  /** Submits `form` with `send(values)`; disables it while the request runs. */
  function onSubmit(form, send) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      for (const each of Object.values(forms)) clearFieldErrors(each); // only fresh errors show
      clearStatus();
      form.setAttribute('aria-busy', 'true');
      button.disabled = true;
      try {
        await send(Object.fromEntries(new FormData(form)));
      } finally {
        form.removeAttribute('aria-busy');
        button.disabled = false;
      }
    });
  }

  onSubmit(forms.register, async (values) => {
    const result = await api('POST', '/users/register', values);
    if (result.status !== 201) return showProblem(forms.register, result);
    forms.register.reset();
    const login = forms.login.elements;
    login.namedItem('email').value = result.body.email;
    showStatus('ok', `Account created for ${result.body.email}. You can log in now.`);
    login.namedItem('password').focus();
  });

  onSubmit(forms.login, async (values) => {
    const result = await api('POST', '/auth/login', values);
    if (result.status !== 200) return showProblem(forms.login, result);
    const profile = await api('GET', '/me/profile');
    if (profile.status !== 200) return showProblem(forms.login, profile);
    showSignedIn(profile.body);
    showStatus('ok', `Logged in as ${profile.body.username}.`);
  });

  onSubmit(forms.rename, async (values) => {
    const result = await api('PATCH', '/me/profile', values);
    if (result.status !== 200) return showProblem(forms.rename, result);
    showSignedIn(result.body);
    showStatus('ok', `Username changed to ${result.body.username}.`);
  });

  onSubmit(forms.password, async (values) => {
    const result = await api('POST', '/me/password', values);
    if (result.status !== 200) return showProblem(forms.password, result);
    forms.password.reset();
    showStatus('ok', 'Password changed. Your other devices have been logged out.');
  });

  $('logout-button').addEventListener('click', async () => {
    clearStatus();
    const result = await api('POST', '/auth/logout');
    if (result.status !== 200) return showStatus('error', textOf(result));
    showSignedOut();
    showStatus('ok', 'You have been logged out.');
  });

  // --- on load: who is signed in? ---------------------------------------------------------

  (async () => {
    const result = await api('GET', '/me/profile');
    if (result.status === 200) return showSignedIn(result.body);
    showSignedOut();
    if (result.status === 404) {
      await api('POST', '/auth/logout');
      showStatus('error', textOf(result));
    } else if (result.status !== 401) {
      showStatus('error', textOf(result));
    }
  })();
})();

import { html, type SafeHtml } from '../html';
import type { Words } from '../wording';

/** What the sign-in page shows. */
export interface LoginView {
  /** The sign-in form's CSRF token. */
  formToken: string;
  /** Whether a password can sign in (ADMIN_PASSWORD is set). */
  passwordEnabled: boolean;
  /** Why the last try did not sign in. */
  error?: string;
  /** The console page to go back to once signed in. */
  next?: string;
}

/** The sign-in page: the password form, or how to use the one-time link when there is no password. */
export function loginPage(view: LoginView, words: Words): SafeHtml {
  const text = words.login;
  const error = view.error ? html`<p class="error" role="alert" id="login-error">${view.error}</p>` : '';
  if (!view.passwordEnabled) return html`${error}<p>${text.noPassword}</p>`;
  return html`${error}<form method="post" action="/admin/login" class="stacked narrow">
<input type="hidden" name="_csrf" value="${view.formToken}">
${view.next ? html`<input type="hidden" name="next" value="${view.next}">` : ''}
<label>${text.password} <input type="password" name="password" autocomplete="current-password" required autofocus></label>
<button type="submit">${text.submit}</button>
</form>`;
}

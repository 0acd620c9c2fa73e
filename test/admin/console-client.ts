/** A browser-like client of the web console: keeps cookies, follows nothing by itself, reads form tokens. */
export class ConsoleClient {
  /** Cookies by name, as the console set them. */
  readonly cookies = new Map<string, string>();
  /** The attributes of each cookie as last set (`HttpOnly; SameSite=Strict; …`). */
  readonly cookieAttributes = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly language = 'en-US,en;q=0.9',
  ) {}

  /** Send a request with the cookies held and the browser's language; the response's cookies are kept. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept-language', this.language);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      this.cookieAttributes.set(name, attributes.join(';').trim());
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** GET a path. */
  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** POST a form (urlencoded), with extra headers if given. */
  post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Open the sign-in page and send the password with the page's form token. */
  async signIn(password: string): Promise<Response> {
    const page = await (await this.get('/admin/login')).text();
    return this.post('/admin/login', { _csrf: formToken(page), password });
  }

  /** The form token of a page of the console (its sign-out form's, on a signed-in page). */
  async tokenOf(path: string): Promise<string> {
    return formToken(await (await this.get(path)).text());
  }
}

/** The `_csrf` value of the first form in a page. */
export function formToken(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error(`no form token in the page:\n${page.slice(0, 500)}`);
  return match[1];
}

import { html, SafeHtml } from './html';
import type { Words } from './wording';

/** The pages in the navigation, in order, with their paths. */
export const navigation = [
  { page: 'overview', path: '/admin' },
  { page: 'usage', path: '/admin/usage' },
  { page: 'playground', path: '/admin/playground' },
  { page: 'knowledge', path: '/admin/knowledge' },
  { page: 'audit', path: '/admin/audit' },
  { page: 'settings', path: '/admin/settings' },
] as const;

/** A page of the navigation. */
export type PageName = (typeof navigation)[number]['page'];

/** The hidden CSRF field every form of a signed-in page carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** What a page puts in the shared frame. */
export interface PageFrame {
  /** The words of the browser's language. */
  words: Words;
  /** The page title. */
  title: string;
  /** The page's main content. */
  body: SafeHtml;
  /** The navigation entry to highlight; none on the sign-in page. */
  active?: PageName;
  /** The session's CSRF token (signed-in pages: the sign-out form). */
  csrfToken?: string;
  /** Deskmate's version for the footer. */
  version?: string;
  /** Reload the page every this many seconds (the overview), done by the console's script. */
  refreshSeconds?: number;
}

/**
 * The page's tables, each in its own scroll box: a wide table (Audit, Settings) scrolls sideways inside the box
 * instead of widening the page. Only real tags match: text in the markup has its `<` escaped.
 */
export function scrollingTables(body: SafeHtml): SafeHtml {
  return new SafeHtml(
    body.markup
      .replace(/<table\b/g, '<div class="table-scroll"><table')
      .replace(/<\/table>/g, '</table></div>'),
  );
}

/** The HTML document around a page: its own stylesheet and script only, navigation, sign-out. */
export function page(frame: PageFrame): SafeHtml {
  const { words } = frame;
  const signedIn = frame.csrfToken !== undefined;
  const links = navigation.map(
    (entry) =>
      html`<a href="${entry.path}"${entry.page === frame.active ? html` aria-current="page"` : ''}>${words.navigation[entry.page]}</a>`,
  );
  return html`<!doctype html>
<html lang="${words.htmlLanguage}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · ${words.product}</title>
<link rel="icon" href="/admin/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/assets/admin.css">
<link rel="stylesheet" href="/admin/assets/previews.css">
<script src="/admin/assets/admin.js" defer></script>
</head>
<body>
<header class="top">
<span class="brand">${words.product}</span>
${signedIn ? html`<nav aria-label="${words.ui.navigationLabel}">${links}</nav><form method="post" action="/admin/logout" class="sign-out">${csrfField(frame.csrfToken ?? '')}<button type="submit">${words.signOut}</button></form>` : ''}
</header>
<main${frame.refreshSeconds ? html` data-refresh="${frame.refreshSeconds}"` : ''}>
<h1>${frame.title}</h1>
${scrollingTables(frame.body)}
</main>
${frame.version ? html`<footer>${words.version(frame.version)}</footer>` : ''}
</body>
</html>
`;
}

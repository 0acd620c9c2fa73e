import type { Config } from '../../config';
import type { Language } from '../../text/language';
import { html, type SafeHtml } from '../html';
import { type SettingEntry, settingsCatalog } from '../settings-catalog';
import type { Words } from '../wording';

function shown(entry: SettingEntry, config: Config, words: Words): SafeHtml {
  const value = entry.value(config);
  if (value === undefined || value === '') return html`<span class="muted">${words.settings.unset}</span>`;
  if (entry.secret) return html`<span class="secret">${words.settings.secretSet}</span>`;
  return html`<code>${String(value)}</code>`;
}

/** The settings page: every setting's effective value (secrets only as set or not), and what the unset ones enable. */
export function settingsPage(config: Config, words: Words, language: Language): SafeHtml {
  const text = words.settings;
  const missing = settingsCatalog.filter((entry) => {
    const value = entry.value(config);
    return value === undefined || value === '';
  });
  return html`<p class="muted">${text.intro}</p>
<table id="settings"><thead><tr><th>${text.variable}</th><th>${text.value}</th><th>${text.meaning}</th></tr></thead><tbody>${settingsCatalog.map(
    (entry) =>
      html`<tr data-variable="${entry.variable}"><td><code>${entry.variable}</code></td><td>${shown(entry, config, words)}</td><td>${entry.meaning[language]}</td></tr>`,
  )}</tbody></table>
<section><h2>${text.missing}</h2><ul id="missing">${missing.map(
    (entry) => html`<li><code>${entry.variable}</code>: ${entry.meaning[language]}</li>`,
  )}</ul></section>`;
}

import type { Reply } from '../../core/reply';
import type { Language } from '../../text/language';
import { outcomeWords, routeWords } from '../code-wording';
import { count, duration } from '../format';
import { html, type SafeHtml } from '../html';
import { csrfField } from '../layout';
import { larkPreview } from '../playground/lark-preview';
import { type PlaygroundRun, usualRequest } from '../playground/run-playground';
import { type SampleThread, type ThreadLine, threadAsText } from '../playground/samples';
import { slackPreview } from '../playground/slack-preview';
import type { Words } from '../wording';

/** How a reply looks on each platform: the adapters' own renderers, handed in by the composition root. */
export interface ReplyRenderers {
  /** Slack's Block Kit message (`{ text, blocks }`) for a reply. */
  slack(reply: Reply): unknown;
  /** Lark's card (JSON 2.0) for a reply. */
  lark(reply: Reply): unknown;
}

/** What the playground form offers. */
export interface PlaygroundChoices {
  /** The sample threads. */
  samples: readonly SampleThread[];
  /** The skills that can be picked: name, and how the list shows it (`summarize · 总结`). */
  skills: Array<{ name: string; label: string }>;
  /** The configured model's name (`openai · qwen-plus`), or undefined when offline. */
  model?: string;
  /** The page's language (for the samples' titles). */
  language: Language;
}

/** What the form shows filled in: what was posted (after an error) or a run's choices ("Run another"). */
export interface PlaygroundValues {
  /** A sample's id, or `pasted`. */
  thread: string;
  /** The paste box's text. */
  pasted: string;
  /** `auto` or a skill's name. */
  skill: string;
  /** What was asked. */
  request: string;
  /** `configured` or `offline`. */
  model: string;
}

/** The form's values for a run: its thread (pasted text back in the box), skill, request and model. */
export function valuesOfRun(run: PlaygroundRun): PlaygroundValues {
  const pasted = run.threadName === 'pasted';
  return {
    thread: pasted ? 'pasted' : run.threadName,
    pasted: pasted ? threadAsText(run.thread) : '',
    skill: run.skillAsked,
    request: run.request ?? '',
    model: run.offline ? 'offline' : 'configured',
  };
}

/**
 * The playground form: a sample or a pasted thread, a skill, a request, the model or offline. With `values`
 * it comes back as they were; an error of the paste box is shown next to it, and the box gets the focus.
 */
export function playgroundForm(
  choices: PlaygroundChoices,
  words: Words,
  csrfToken: string,
  error?: string,
  values?: PlaygroundValues,
): SafeHtml {
  const text = words.playground;
  const firstSample =
    choices.samples.find((sample) => sample.language === choices.language) ?? choices.samples[0];
  const threadChosen = values?.thread ?? firstSample?.id ?? '';
  const chosenSample = choices.samples.find((sample) => sample.id === threadChosen) ?? firstSample;
  const pasting = threadChosen === 'pasted';
  const skillChosen = values?.skill ?? 'summarize';
  const selected = (yes: boolean) => (yes ? html` selected` : '');
  const usual = (skill: string) =>
    html` data-usual-en="${usualRequest(skill, 'en')}" data-usual-zh="${usualRequest(skill, 'zh')}"`;
  const errorNote = error ? html`<p class="error" id="pasted-error" role="alert">${error}</p>` : '';
  return html`<p class="muted">${text.intro}</p>
<form method="post" action="/admin/playground" id="playground-form" class="stacked">
${csrfField(csrfToken)}
<label>${text.thread}
<select name="thread" id="thread">${choices.samples.map(
    (sample) =>
      html`<option value="${sample.id}" data-language="${sample.language}"${selected(!pasting && sample === chosenSample)}>${sample.title[choices.language]}</option>`,
  )}<option value="pasted" data-language=""${selected(pasting)}>${text.pasted}</option></select></label>
<label for="pasted" id="pasted-label"${pasting ? '' : html` hidden`}>${text.pasteLabel}</label>
<textarea name="pasted" id="pasted" rows="8"${pasting ? '' : html` hidden`}${error ? html` aria-invalid="true" aria-describedby="pasted-error" autofocus` : ''} placeholder="${firstSample ? threadAsText(firstSample.messages.slice(0, 2)) : ''}">${values?.pasted ?? ''}</textarea>
${errorNote}
<label>${text.skill}
<select name="skill" id="skill"><option value="auto"${usual('auto')}${selected(skillChosen === 'auto')}>${text.auto}</option>${choices.skills.map(
    (skill) =>
      html`<option value="${skill.name}"${selected(skill.name === skillChosen)}${usual(skill.name)}>${skill.label}</option>`,
  )}</select></label>
<label>${text.request} <input type="text" name="request" id="request" maxlength="2000" value="${values?.request ?? ''}" placeholder="${usualRequest(skillChosen, chosenSample?.language ?? 'en')}"></label>
<p class="muted">${text.requestHint}</p>
<label>${text.model}
<select name="model" id="model">${choices.model ? html`<option value="configured">${text.configuredModel(choices.model)}</option>` : ''}<option value="offline"${selected(values?.model === 'offline')}>${text.offline}</option></select></label>
<button type="submit" id="run" data-running="${text.running}">${text.run}</button>
</form>
${choices.samples.map(
  (sample) =>
    html`<details class="sample"><summary>${sample.title[choices.language]}</summary>${threadList(sample.messages, 'sample')}</details>`,
)}`;
}

/** A thread as a list; each message's anchor is `message-<n>` (the targets of the citation links). */
export function threadList(
  thread: readonly ThreadLine[],
  idPrefix = 'message',
  minutesIn: (minute: number) => string = (minute) => `+${minute} min`,
): SafeHtml {
  return html`<ol class="thread">${thread.map(
    (line, index) =>
      html`<li${idPrefix === 'message' ? html` id="message-${index + 1}"` : ''}><span class="author">${line.author}</span> <span class="muted">${minutesIn(line.minute)}</span><div class="text">${line.text.split('\n').map((part, position) => (position === 0 ? part : html`<br>${part}`))}</div></li>`,
  )}</ol>`;
}

function stats(run: PlaygroundRun, words: Words): SafeHtml {
  const text = words.playground;
  const entry = (label: string, value: SafeHtml | string, id: string) =>
    html`<div><dt>${label}</dt><dd id="${id}">${value}</dd></div>`;
  return html`<dl class="stats">
${entry(words.overview.skill, run.skill ?? text.none, 'run-skill')}
${entry(text.routedBy, run.routedBy ? routeWords(run.routedBy, words.language) : text.none, 'run-routed-by')}
${entry(text.outcome, html`${outcomeWords(run.outcome, words.language)} <code>${run.outcome}</code>`, 'run-outcome')}
${entry(text.models, run.models.length ? run.models.join(', ') : text.none, 'run-models')}
${entry(text.tokens, `${count(run.tokens.input)} / ${count(run.tokens.output)}`, 'run-tokens')}
${entry(text.firstToken, run.firstTokenMs === undefined ? text.none : duration(run.firstTokenMs), 'run-first-token')}
${entry(text.total, duration(run.durationMs), 'run-duration')}
</dl>`;
}

/** A finished run: its numbers, each reply as Slack and as Lark would show it (and their JSON), the thread. */
export function playgroundRunPage(run: PlaygroundRun, renderers: ReplyRenderers, words: Words): SafeHtml {
  const text = words.playground;
  const replies =
    run.replies.length === 0
      ? html`<p class="muted">${text.noReply}</p>`
      : run.replies.map((captured) => {
          const slack = renderers.slack(captured.reply);
          const lark = renderers.lark(captured.reply);
          return html`<article class="reply">
${captured.private ? html`<p class="muted">${text.private}</p>` : ''}
<div class="previews">
<section class="preview" id="slack-${captured.id}" data-preview="slack"><h3>${text.asSlack}</h3>${slackPreview(slack)}</section>
<section class="preview" id="lark-${captured.id}" data-preview="lark"><h3>${text.asLark}</h3>${larkPreview(lark)}</section>
</div>
<details><summary>${text.rawJson}</summary><pre class="json">${JSON.stringify({ slack, lark }, null, 2)}</pre></details>
</article>`;
        });
  return html`<p class="muted">${run.createdAt.slice(0, 19).replace('T', ' ')} UTC · <code>${run.text}</code></p>
<section><h2>${text.stats}</h2>${stats(run, words)}${run.errorDetail ? html`<p class="error" id="run-error">${text.errorDetail} <code>${run.outcome}</code>: ${run.errorDetail}</p>` : ''}${run.reminders > 0 ? html`<p class="muted">${text.reminders(run.reminders)}</p>` : ''}</section>
<section id="replies"><h2>${text.result}</h2>${replies}</section>
<section><h2>${text.thread}</h2>${threadList(run.thread, 'message', text.minutesIn)}</section>
<p><a class="button" id="run-again" href="/admin/playground?from=${run.id}">${text.again}</a></p>`;
}

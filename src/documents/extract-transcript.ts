import type { DocumentPiece, ExtractedDocument } from './document';
import { corruptError, emptyError } from './document-error';
import type { ExtractionContext } from './extraction-context';

/** A cue as the WebVTT parser gives it: times in seconds and the cue's node tree. */
interface Cue {
  startTime: number;
  text: string;
  tree: { children: CueNode[] };
}
type CueNode =
  | { type: 'text'; value: string }
  | { type: 'object'; name: string; value?: string; children: CueNode[] };

/** One speaker turn: consecutive cues of one speaker. */
interface Turn {
  start: number;
  speaker?: string;
  text: string;
}

/** A piece covers up to this many seconds of talk, or the characters below, whichever comes first. */
const pieceSeconds = 120;
const pieceCharacters = 3_000;

/** `12:04`, or `1:02:03` past an hour. */
export function formatTimestamp(seconds: number): string {
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** An SRT file as WebVTT: the same cues, a header and dots in the times (SRT is WebVTT's ancestor). */
function srtToVtt(srt: string): string {
  const timing = /^(\s*\d{1,2}:\d{2}:\d{2}),(\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}),(\d{1,3})/gm;
  return `WEBVTT\n\n${srt.replace(timing, '$1.$2.$3')}`;
}

/** The text of a cue tree and its first voice (`<v Alice>`); ruby readings (`<rt>`) left out. */
function readTree(nodes: CueNode[], found: { speaker?: string }): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text') text += node.value;
    else if (node.name !== 'rt') {
      if (node.name === 'v' && node.value && !found.speaker) found.speaker = node.value.trim();
      text += readTree(node.children, found);
    }
  }
  return text;
}

/** `Alice: hello` / `张伟：好的` at the start of a cue names the speaker when no voice tag does. */
const speakerPrefix = /^([^\s:：][^:：\n]{0,30}?)\s*(?::\s+|：\s*)(.+)$/s;

function readCue(cue: Cue): Omit<Turn, 'start'> {
  const found: { speaker?: string } = {};
  let text = readTree(cue.tree.children, found).replace(/\s+/g, ' ').trim();
  if (!found.speaker) {
    const match = speakerPrefix.exec(text);
    if (match && !/^https?$/i.test(match[1])) {
      found.speaker = match[1].trim();
      text = match[2].trim();
    }
  }
  return { speaker: found.speaker, text };
}

/** WebVTT and SRT transcripts as speaker turns with times, in pieces located by start (`{ kind: 'time', start }`). */
export function extractTranscript(
  text: string,
  type: 'vtt' | 'srt',
  context: ExtractionContext,
): ExtractedDocument {
  const { WebVTTParser } = require('webvtt-parser');
  const entities = require('webvtt-parser/html-entities.json');
  const parsed = new WebVTTParser(entities).parse(type === 'srt' ? srtToVtt(text) : text, 'metadata') as {
    cues: Cue[];
    errors: unknown[];
  };
  if (parsed.cues.length === 0) {
    throw parsed.errors.length > 0
      ? corruptError('file', new Error(JSON.stringify(parsed.errors[0])))
      : emptyError('file');
  }
  const turns: Turn[] = [];
  for (const cue of parsed.cues) {
    const { speaker, text: said } = readCue(cue);
    if (!said) continue;
    const last = turns[turns.length - 1];
    if (last && last.speaker === speaker && cue.startTime - last.start < pieceSeconds / 2)
      last.text += ` ${said}`;
    else turns.push({ start: cue.startTime, speaker, text: said });
  }
  const pieces: DocumentPiece[] = [];
  let lines: string[] = [];
  let start = 0;
  let length = 0;
  const flush = () => {
    if (lines.length > 0) pieces.push({ text: lines.join('\n'), locator: { kind: 'time', start } });
    lines = [];
    length = 0;
  };
  for (const turn of turns) {
    if (
      lines.length > 0 &&
      (turn.start - start >= pieceSeconds || length + turn.text.length > pieceCharacters)
    )
      flush();
    const line = context.budget.take(
      `${formatTimestamp(turn.start)} ${turn.speaker ? `${turn.speaker}: ` : ''}${turn.text}`,
    );
    if (!line) break;
    if (lines.length === 0) start = turn.start;
    lines.push(line);
    length += line.length + 1;
  }
  flush();
  if (pieces.length === 0) throw emptyError('file');
  return { type, pieces, notes: context.notes };
}

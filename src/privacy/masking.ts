import { findPersonalData, type PersonalDataKind, secretKinds } from './personal-data';

/** Replaces personal data with stable placeholders (`<EMAIL_1>`), and puts it back in an answer. */
export interface Masker {
  /** The text with each personal datum replaced by its placeholder (the same value, the same placeholder). */
  mask(text: string): string;
  /** The text with the placeholders of this masker put back, except secrets, which stay placeholders. */
  unmask(text: string): string;
  /** How many values were masked, by kind. */
  counts(): Partial<Record<PersonalDataKind, number>>;
}

const placeholderPattern = /<([A-Z_]+)_(\d+)>/g;

/** A masker for one model request: placeholders are numbered per kind, in the order values are first seen. */
export function createMasker(): Masker {
  const placeholderOf = new Map<string, string>();
  const originalOf = new Map<string, { kind: PersonalDataKind; value: string }>();
  const numbers = new Map<PersonalDataKind, number>();
  return {
    mask(text) {
      const findings = findPersonalData(text);
      if (findings.length === 0) return text;
      let result = '';
      let last = 0;
      for (const finding of findings) {
        let placeholder = placeholderOf.get(finding.value);
        if (!placeholder) {
          const number = (numbers.get(finding.kind) ?? 0) + 1;
          numbers.set(finding.kind, number);
          placeholder = `<${finding.kind}_${number}>`;
          placeholderOf.set(finding.value, placeholder);
          originalOf.set(placeholder, { kind: finding.kind, value: finding.value });
        }
        result += text.slice(last, finding.start) + placeholder;
        last = finding.start + finding.value.length;
      }
      return result + text.slice(last);
    },
    unmask(text) {
      if (originalOf.size === 0) return text;
      return text.replace(placeholderPattern, (placeholder) => {
        const found = originalOf.get(placeholder);
        return found && !secretKinds.has(found.kind) ? found.value : placeholder;
      });
    },
    counts() {
      return Object.fromEntries(numbers) as Partial<Record<PersonalDataKind, number>>;
    },
  };
}

/**
 * The part of a growing answer that can be unmasked and shown now: a tail that could still be the start
 * of a placeholder (`<EMA`) waits for the next piece.
 */
export function settledBeforePlaceholder(text: string): string {
  const partial = /<[A-Z_]*\d*$/.exec(text);
  return partial ? text.slice(0, partial.index) : text;
}

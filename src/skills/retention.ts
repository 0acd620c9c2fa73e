import type { RetentionSettings } from '../core/skill';

/** How long skills keep what they store unless the deployment says otherwise (the settings' defaults). */
export const defaultRetention: RetentionSettings = {
  memorySeconds: 24 * 60 * 60,
  summarySeconds: 7 * 24 * 60 * 60,
  doneTodoSeconds: 30 * 24 * 60 * 60,
  usageDays: 40,
};

/** The retention a skill runs with: the deployment's, else the defaults. */
export function retentionOf(settings: { retention?: RetentionSettings }): RetentionSettings {
  return settings.retention ?? defaultRetention;
}

import type { StateStore } from '../../core/state-store';

/** Failed sign-ins allowed from one address in a window. */
export const maxFailedLogins = 5;
/** The window failed sign-ins are counted in. */
export const loginWindowSeconds = 15 * 60;

/**
 * Failed sign-ins counted per client address in fixed 15-minute windows in the store (shared by every web
 * process). Past the limit no password is checked until the window ends. Behind a proxy every client has
 * the proxy's address, so the limit becomes one for everyone: still a limit on guessing.
 */
export interface LoginLimiter {
  /** Seconds until the address may try again; 0 when it may try now. */
  waitSeconds(address: string): Promise<number>;
  /** Count a failed sign-in from the address; how many more it may fail before it has to wait. */
  failed(address: string): Promise<number>;
}

/** Create the limiter over the state store. */
export function createLoginLimiter(store: StateStore, now: () => number = Date.now): LoginLimiter {
  const window = () => Math.floor(now() / 1000 / loginWindowSeconds);
  // Addresses become one id without colons (IPv6 too), as every key part in the store.
  const key = (address: string) =>
    `admin:login-failures:${address.replace(/[^A-Za-z0-9.]/g, '_') || 'unknown'}:${window()}`;
  return {
    async waitSeconds(address) {
      const failures = (await store.counters(key(address))).failures ?? 0;
      if (failures < maxFailedLogins) return 0;
      return (window() + 1) * loginWindowSeconds - Math.floor(now() / 1000);
    },
    async failed(address) {
      const counted = await store.incrementCounters(key(address), { failures: 1 }, loginWindowSeconds);
      return Math.max(0, maxFailedLogins - (counted.failures ?? maxFailedLogins));
    },
  };
}

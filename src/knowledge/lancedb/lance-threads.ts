/**
 * LanceDB's CPU pool has one thread per core by default. On a 2-core machine a table of some 40,000 rows or more
 * stalled for good on a write (every thread parked, no CPU used) in the knowledge bench, through upserts and bulk
 * adds alike; with 8 threads it did not. Call before LanceDB is first loaded; a LANCE_CPU_THREADS already set wins.
 */
export function prepareLanceThreads(): void {
  process.env.LANCE_CPU_THREADS ??= '8';
}

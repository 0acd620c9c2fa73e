import { createMemoryStateStore } from '../../src/state/memory-state-store';
import { describeStateStoreContract } from './state-store-contract';

// Every memory store shares nothing, so the prefix test also holds; the prefix is still applied.
describeStateStoreContract('memory', async (prefix) => createMemoryStateStore({ prefix }));

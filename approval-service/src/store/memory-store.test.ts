import { createMemoryStore } from './memory-store.js';
import { runStoreContract } from './store.case.js';

runStoreContract('memory', async () => ({ store: createMemoryStore(), cleanup: async () => {} }));

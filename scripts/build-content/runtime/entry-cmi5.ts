// Bundle entry for cmi5 packages.
import { startPage } from './app.ts';
import { createCmi5Adapter } from './cmi5-adapter.ts';

startPage(createCmi5Adapter);

// Bundle entry for SCORM 1.2 packages.
import { startPage } from './app.ts';
import { createScorm12Adapter } from './scorm12-adapter.ts';

startPage(createScorm12Adapter);

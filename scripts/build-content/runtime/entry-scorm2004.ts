// Bundle entry for SCORM 2004 packages.
import { startPage } from './app.ts';
import { createScorm2004Adapter } from './scorm2004-adapter.ts';

startPage(createScorm2004Adapter);

/**
 * The import-graph check of `npm run lint` (issue #17): no circles in src/, and the app never imports
 * its build tools or scripts (scripts/ may import src/, never the other way round).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle means two modules cannot be understood (or tested) one without the other.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-src-to-scripts',
      severity: 'error',
      comment: 'The app must not depend on its build tools at run time.',
      from: { path: '^src/' },
      to: { path: '^scripts/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

// Jest (CommonJS, Node 20) cannot load ES modules; PDF.js ships only as one. This transform turns that one
// file (unpdf's serverless PDF.js bundle) into CommonJS for jest, with esbuild (already there for tsx).
// Plain node and tsx load the same file with require(esm); nothing else is transformed.
const esbuild = require('esbuild');

module.exports = {
  process(source, filename) {
    const result = esbuild.transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node20',
      sourcefile: filename,
      logLevel: 'silent',
    });
    return { code: result.code };
  },
};

// Trunk post-build hook: the build's finishing steps, one after another. Trunk starts the hooks
// of one stage at the same time, and two of these rewrite index.html, so they run in order here.
//   minify.mjs        shorter names shared by the wasm and its glue, minified glue (size)
//   startup.mjs       no inline script: the start-up becomes a file (Content-Security-Policy)
//   embed-module.mjs  the stable-named embed module and stylesheet
for (const step of ['./minify.mjs', './startup.mjs', './embed-module.mjs']) {
  await import(step);
}

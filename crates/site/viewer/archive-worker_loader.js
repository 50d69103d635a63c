importScripts('./archive-worker.js?v=c504d7508f6a1302');
const early = [];
self.onmessage = (e) => early.push(e);
wasm_bindgen({ module_or_path: './archive-worker_bg.wasm?v=c504d7508f6a1302' }).then(
  () => { for (const e of early.splice(0)) self.onmessage(e); },
  // Thrown from a task of its own, the failure reaches the page as the worker's error event.
  (e) => setTimeout(() => { throw e; }),
);

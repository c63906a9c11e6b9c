// Preloaded into each benchmarked server (NODE_OPTIONS=--import …): when the bench asks over the
// IPC channel, it collects garbage fully and answers with process.memoryUsage(); when the bench
// goes away (the channel closes), it stops the server as SIGTERM would. Plain JavaScript, so that
// it loads whatever starts the server (tsx today, a build later). Inert without IPC.
import v8 from 'node:v8';
import vm from 'node:vm';

const MEMORY_REQUEST = 'usergraph-bench:memory';

if (process.send) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  process.on('message', (message) => {
    if (message?.type !== MEMORY_REQUEST) return;
    gc();
    gc();
    process.send?.({ type: MEMORY_REQUEST, memory: process.memoryUsage() });
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

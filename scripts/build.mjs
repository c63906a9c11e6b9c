// npm run build (and `prepare`, so that `npm install` leaves a runnable dist/): compiles what ships
// to dist/ with tsc, then copies beside it the SQL the code reads at run time, at the same
// relative places (dist/src/db/… reads dist/sql/, the demo reads dist/supertokens-standin/ddl/).
// Plain JavaScript: it runs before anything is compiled, with node alone.
// `node scripts/build.mjs <dir>` builds into another folder of the repository instead (the bench
// runs a build of its own, leaving dist/ alone); inside it, so that node_modules resolves.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
const at = (path) => new URL(path, root);

const out = process.argv[2] ?? 'dist';
rmSync(at(out), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(at('sql'), at(`${out}/sql`), { recursive: true });
cpSync(at('supertokens-standin/ddl'), at(`${out}/supertokens-standin/ddl`), { recursive: true });

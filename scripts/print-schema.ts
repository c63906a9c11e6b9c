/** `npm run schema`: regenerates schema.graphql from the code (a test fails when they differ). */
import { writeFileSync } from 'node:fs';
import { schema } from '../src/schema/index.ts';
import { printSchemaSDL } from '../src/schema/print.ts';

const target = new URL('../schema.graphql', import.meta.url);
writeFileSync(target, printSchemaSDL(schema));
console.log(`wrote ${target.pathname}`);

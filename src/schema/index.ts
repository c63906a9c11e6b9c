/** The schema: every type file imported for its side effects, then built once. */
import './scalars.ts';
import './user.ts';
import './viewer.ts';
import './role-checks.ts';
import './reload.ts';
import { builder } from './builder.ts';
import { ruleDirectives } from './rules.ts';

export const schema = builder.toSchema({ directives: [...ruleDirectives] });

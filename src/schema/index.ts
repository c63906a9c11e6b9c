/** The schema: every type file imported for its side effects, then built once. */
import './scalars.ts';
import './user.ts';
import './viewer.ts';
import './role-checks.ts';
import './reload.ts';
import './user-changed.ts';
import { specifiedDirectives } from 'graphql';
import { builder } from './builder.ts';
import { ruleDirectives } from './rules.ts';

// Giving `directives` replaces graphql's own: @skip, @include and @deprecated must be listed too.
export const schema = builder.toSchema({ directives: [...specifiedDirectives, ...ruleDirectives] });
